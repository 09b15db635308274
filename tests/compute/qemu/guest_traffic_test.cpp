// Guests' traffic on loopback networking: the nft rules per Linode cgroup, the counts read back,
// and (as root, where cgroup v2 and nft are there) real bytes counted for a process in a cgroup.
#include "compute/qemu/guest_traffic.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "compute/process.hpp"

namespace linnet::compute::guest_traffic {
namespace {

namespace fs = std::filesystem;

TEST(GuestTraffic, FindsCgroup2sMount) {
    EXPECT_EQ(cgroup2_mount("proc /proc proc rw 0 0\n"
                            "cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n"
                            "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,nsdelegate 0 0\n"),
              fs::path("/sys/fs/cgroup/unified"));
    EXPECT_EQ(cgroup2_mount("cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n"), fs::path("/sys/fs/cgroup"));
    EXPECT_EQ(cgroup2_mount("cgroup /sys/fs/cgroup/cpu cgroup rw 0 0\n"), std::nullopt);
}

TEST(GuestTraffic, OneCounterPairAndRulePairPerLinode) {
    const auto script =
        ruleset("linnet_ab", {7, 9}, {{7, "unified/linnet/x/linode-7"}, {9, "p9"}}, 3);
    EXPECT_NE(script.find("add table inet linnet_ab\n"), std::string::npos);
    EXPECT_NE(script.find("add chain inet linnet_ab input { type filter hook input priority 0; "
                          "policy accept; }\nflush chain inet linnet_ab input\n"),
              std::string::npos);
    EXPECT_NE(script.find("flush chain inet linnet_ab output\n"), std::string::npos);
    EXPECT_NE(script.find("add counter inet linnet_ab linode_7_in\n"), std::string::npos);
    EXPECT_NE(script.find("add rule inet linnet_ab input socket cgroupv2 level 3 "
                          "\"unified/linnet/x/linode-7\" counter name linode_7_in\n"),
              std::string::npos);
    EXPECT_NE(script.find("add rule inet linnet_ab output socket cgroupv2 level 3 \"p9\" counter "
                          "name linode_9_out\n"),
              std::string::npos);
    // Rules come after the flush, so a rewrite leaves one rule per Linode and direction.
    EXPECT_LT(script.rfind("flush chain"), script.find("socket cgroupv2"));
    EXPECT_EQ(ruleset("t", {}, {}, 3).find("counter name"), std::string::npos);
    // The private networks' segments are accepted before any counter counts them.
    for (const char* chain : {"input", "output"}) {
        const auto exempt = script.find(std::string("add rule inet linnet_ab ") + chain +
                                        " ip daddr 239.192.0.0/14 accept\n");
        ASSERT_NE(exempt, std::string::npos) << chain;
        EXPECT_LT(exempt, script.find(std::string("add rule inet linnet_ab ") + chain +
                                      " socket cgroupv2"));
    }
}

TEST(GuestTraffic, ReadsCountsByLinode) {
    const auto counts = parse_counters(
        R"({"nftables": [{"metainfo": {"version": "1.0.6"}},
          {"counter": {"family": "inet", "name": "linode_7_in", "table": "t", "handle": 3,
                       "packets": 4, "bytes": 1200}},
          {"counter": {"family": "inet", "name": "linode_7_out", "table": "t", "handle": 4,
                       "packets": 2, "bytes": 300}},
          {"counter": {"family": "inet", "name": "linode_12_out", "table": "t", "handle": 5,
                       "packets": 1, "bytes": 60}},
          {"counter": {"family": "inet", "name": "other", "table": "t", "handle": 6,
                       "packets": 1, "bytes": 1}}]})");
    ASSERT_EQ(counts.size(), 2u);
    EXPECT_EQ(counts.at(7).in, 1200);
    EXPECT_EQ(counts.at(7).out, 300);
    EXPECT_EQ(counts.at(12).in, 0);
    EXPECT_EQ(counts.at(12).out, 60);
    EXPECT_TRUE(parse_counters("not json").empty());
    EXPECT_TRUE(parse_counters(R"({"nftables": 3})").empty());
}

TEST(GuestTraffic, CountsWhatAProcessInTheCgroupSendsAndReceives) {
    if (geteuid() != 0 || run({"nft", "list", "tables"}).status != 0)
        GTEST_SKIP() << "needs root and nft";
    const fs::path data =
        fs::temp_directory_path() / ("linnet-traffic-" + std::to_string(getpid()));
    fs::create_directories(data);
    Accounting accounting(data);
    const auto procs = accounting.enter(7);
    if (!procs) GTEST_SKIP() << "this host has no cgroup v2 under /sys/fs/cgroup";
    EXPECT_TRUE(fs::exists(data / "guest-traffic"));
    // A process in the cgroup sends 5000 bytes to itself over UDP on loopback: both its send
    // and its receive are counted.
    const auto sent = run({"/usr/bin/python3", "-c",
                           "import socket\n"
                           "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                           "s.bind(('127.0.0.1', 0))\n"
                           "s.sendto(b'x' * 5000, s.getsockname())\n"
                           "print(len(s.recv(6000)))\n"},
                          "", *procs);
    ASSERT_EQ(sent.status, 0) << sent.output;
    EXPECT_EQ(sent.output, "5000\n");
    // One outside it is not.
    ASSERT_EQ(run({"/usr/bin/python3", "-c",
                   "import socket\n"
                   "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                   "s.bind(('127.0.0.1', 0))\n"
                   "s.sendto(b'x' * 9000, s.getsockname())\n"})
                  .status,
              0);
    const auto counts = accounting.read();
    ASSERT_EQ(counts.count(7), 1u);
    EXPECT_GE(counts.at(7).out, 5000);
    EXPECT_LT(counts.at(7).out, 9000);
    EXPECT_GE(counts.at(7).in, 5000);
    EXPECT_LT(counts.at(7).in, 9000);
    // A second server on the same data folder finds the Linode counted and its counts kept.
    Accounting again(data);
    ASSERT_EQ(again.enter(7), procs);
    EXPECT_GE(again.read().at(7).out, 5000);
    again.forget(7);
    EXPECT_FALSE(fs::exists(procs->parent_path()));
    EXPECT_TRUE(again.read().empty());
    run({"nft", "delete", "table", "inet", again.table()});
    fs::remove(again.cgroup_root());
    fs::remove_all(data);
}

}  // namespace
}  // namespace linnet::compute::guest_traffic
