// knot.conf as text: the listen address knotd is given, the zone names allowed in it, and a
// folder whose paths cannot be quoted or name a socket.
#include "domains/knot_config.hpp"

#include <gtest/gtest.h>

namespace linnet::domains::knot_config {
namespace {

TEST(KnotConfig, ListenAddressesAreIpAddressesAndPorts) {
    EXPECT_EQ(listen_address("127.0.0.1:5353"), "127.0.0.1@5353");
    EXPECT_EQ(listen_address("0.0.0.0:53"), "0.0.0.0@53");
    EXPECT_EQ(listen_address("[::1]:53"), "::1@53");
    EXPECT_EQ(listen_address("[2001:db8::7]:65535"), "2001:db8::7@65535");
    for (const char* bad :
         {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:053",
          "127.0.0.1:53x", "127.0.0.1:+53", "1.2.3:53", "localhost:53", "::1:53", "[::1]53",
          "[::1]:", "[127.0.0.1]:53", "127.0.0.1 :53", "127.0.0.1:53\n", "[::1\"]:53"})
        EXPECT_EQ(listen_address(bad), std::nullopt) << bad;
}

TEST(KnotConfig, ZoneNamesAreLabelsOfLettersDigitsAndHyphens) {
    for (const char* good : {"example.com", "a", "x-y.Example.ORG", "0.in-addr.arpa"})
        EXPECT_TRUE(zone_name(good)) << good;
    const std::string label63(63, 'a');
    EXPECT_TRUE(zone_name(label63 + ".com"));
    for (const std::string& bad :
         {std::string(), std::string("."), std::string("example.com."), std::string(".com"),
          std::string("a..b"), std::string("a b"), std::string("a\"b"), std::string("a/b"),
          std::string("a_b"), std::string("a\nzone:"), std::string("a\0b", 3), label63 + "a.com",
          std::string(254, 'a')})
        EXPECT_FALSE(zone_name(bad)) << bad;
}

TEST(KnotConfig, EveryPathAndNameIsQuotedAndKnotKeepsNoStateOfItsOwn) {
    const Folder folder{"/srv/dns"};
    const auto conf = text(folder, "127.0.0.1@5353", {{"example.com", {}}, {"example.org", {}}});
    for (const char* line :
         {"    rundir: \"/srv/dns\"\n", "    pidfile: \"/srv/dns/knot.pid\"\n",
          "    listen: \"127.0.0.1@5353\"\n", "control:\n    listen: \"/srv/dns/knot.sock\"\n",
          "  - target: \"/srv/dns/knotd.log\"\n", "    storage: \"/srv/dns/db\"\n",
          "    storage: \"/srv/dns/zones\"\n", "    file: \"%s.zone\"\n", "    zonefile-sync: -1\n",
          "    zonefile-load: whole\n", "    journal-content: none\n",
          "zone:\n  - domain: \"example.com.\"\n  - domain: \"example.org.\"\n"})
        EXPECT_NE(conf.find(line), std::string::npos) << line;
    // Nothing that would send zones, notifies or accept updates.
    for (const char* absent : {"acl", "remote", "notify", "dnssec-signing: on", "/var/lib/knot"})
        EXPECT_EQ(conf.find(absent), std::string::npos) << absent;
    EXPECT_EQ(text(folder, "::1@53", {}).find("zone:"), std::string::npos);
}

TEST(KnotConfig, AZoneThatAllowsTransfersHasAnAclOfItsOwn) {
    const auto conf =
        text(Folder{"/srv/dns"}, "127.0.0.1@5353",
             {{"a.example", {"127.0.0.1", "2001:db8::1", "not\"an ip"}}, {"b.example", {}}});
    EXPECT_NE(conf.find("acl:\n  - id: \"transfer-1\"\n    address: [\"127.0.0.1\", "
                        "\"2001:db8::1\"]\n    action: transfer\n"),
              std::string::npos)
        << conf;
    EXPECT_NE(conf.find("  - domain: \"a.example.\"\n    acl: \"transfer-1\"\n  - domain: "
                        "\"b.example.\"\n"),
              std::string::npos)
        << conf;
    EXPECT_EQ(conf.find("an ip"), std::string::npos);
    EXPECT_EQ(conf.find("update"), std::string::npos);
}

TEST(KnotConfig, AFolderThatCannotBeQuotedOrHoldASocketIsRefused) {
    EXPECT_EQ(folder_problem({"/srv/dns"}), "");
    EXPECT_EQ(folder_problem({"/srv/with space/dns"}), "");
    EXPECT_NE(folder_problem({"/srv/\"dns"}), "");
    EXPECT_NE(folder_problem({"/srv/dns\nzone:"}), "");
    EXPECT_NE(folder_problem({"/srv/back\\slash"}), "");
    EXPECT_NE(folder_problem({"/" + std::string(120, 'd')}), "");
}

}  // namespace
}  // namespace linnet::domains::knot_config
