// A firewall's rules: ports read into ranges, problems named by field, the stored form read
// back as it was, and fingerprints that follow the rules.
#include "firewalls/rules.hpp"

#include <gtest/gtest.h>

namespace linnet::firewalls {
namespace {

namespace json = boost::json;

Rules read(const std::string& text, std::vector<ErrorDetail>& problems) {
    return read_rules(json::parse(text), "rules", true, problems);
}

TEST(FirewallRules, PortsAreSinglePortsAndRanges) {
    std::vector<PortRange> ranges;
    EXPECT_EQ(read_ports("22-24, 80,443", ranges), std::nullopt);
    ASSERT_EQ(ranges.size(), 3u);
    EXPECT_EQ(ranges[0].first, 22);
    EXPECT_EQ(ranges[0].last, 24);
    EXPECT_EQ(ranges[2].first, 443);
    EXPECT_EQ(ranges[2].last, 443);
    for (const char* bad : {"", "0", "080", "65536", "22-22", "30-20", "22,", ",22", "22,,23", "a",
                            "22-", "1-2-3", "99999999"})
        EXPECT_NE(read_ports(bad, ranges), std::nullopt) << bad;
    EXPECT_EQ(read_ports("22, 23", ranges), std::nullopt);
    EXPECT_EQ(read_ports("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", ranges), std::nullopt);
    EXPECT_NE(read_ports("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", ranges), std::nullopt);
    EXPECT_NE(read_ports("1-2,3-4,5-6,7-8,9-10,11-12,13-14,15-16", ranges), std::nullopt);
}

TEST(FirewallRules, ProblemsNameTheirField) {
    std::vector<ErrorDetail> problems;
    read(R"({"inbound_policy": "DROP", "outbound_policy": "DENY",
             "inbound": [{"action": "ACCEPT", "protocol": "TCP", "addresses": {"ipv4": ["0.0.0.0/0"]}},
                         {"action": "ACCEPT", "protocol": "UDP", "ports": "x",
                          "addresses": {"ipv6": ["::/0"]}}]})",
         problems);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].field, "rules.outbound_policy");
    EXPECT_EQ(problems[1].field, "rules.inbound[1].ports");
}

TEST(FirewallRules, StoredRulesReadBackAsTheyWere) {
    std::vector<ErrorDetail> problems;
    const auto rules = read(R"({"inbound_policy": "DROP", "outbound_policy": "ACCEPT",
        "outbound": null,
        "inbound": [{"action": "ACCEPT", "protocol": "TCP", "ports": "22, 80-81",
                     "addresses": {"ipv4": ["192.0.2.0/24"], "ipv6": ["2001:db8::/32"]},
                     "label": "web", "description": "ssh and web"},
                    {"action": "DROP", "protocol": "ICMP", "addresses": {"ipv4": ["0.0.0.0/0"]}}]})",
                            problems);
    ASSERT_TRUE(problems.empty());
    const auto shown = render(rules);
    EXPECT_TRUE(shown.at("outbound").is_null());
    EXPECT_FALSE(shown.at("inbound").as_array()[1].as_object().contains("ports"));
    const auto again = parse_stored(shown);
    EXPECT_EQ(render(again), shown);
    ASSERT_EQ(again.inbound->front().port_ranges.size(), 2u);
    EXPECT_EQ(again.inbound->front().port_ranges[1].last, 81);
    EXPECT_EQ(fingerprint(again), fingerprint(rules));
    EXPECT_EQ(fingerprint(rules).size(), 8u);
    auto changed = rules;
    changed.inbound_policy = "ACCEPT";
    EXPECT_NE(fingerprint(changed), fingerprint(rules));
}

TEST(FirewallRules, AtMost25Rules) {
    std::string rule =
        R"({"action": "ACCEPT", "protocol": "TCP", "addresses": {"ipv4": ["0.0.0.0/0"]}})";
    std::string list = rule;
    for (int i = 1; i < 26; ++i) list += "," + rule;
    std::vector<ErrorDetail> problems;
    read(R"({"inbound_policy": "DROP", "outbound_policy": "DROP", "inbound": [)" + list + "]}",
         problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].field, "rules");
}

}  // namespace
}  // namespace linnet::firewalls
