// Cloud Firewall rules as nftables statements and tables; as root (where cgroup v2 and nft are
// there), a firewall really closing and opening a port of a process in a Linode's cgroup.
#include "compute/qemu/nft_firewall.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "compute/process.hpp"
#include "compute/qemu/guest_traffic.hpp"

namespace linnet::compute::nft_firewall {
namespace {

namespace fs = std::filesystem;

firewalls::Rules rules_of(const std::string& json) {
    std::vector<ErrorDetail> problems;
    auto rules = firewalls::read_rules(boost::json::parse(json), "rules", true, problems);
    EXPECT_TRUE(problems.empty()) << problems.front().reason;
    return rules;
}

TEST(NftFirewall, OneStatementPerAddressFamily) {
    const auto rules = rules_of(R"({"inbound_policy": "DROP", "outbound_policy": "ACCEPT",
        "inbound": [{"action": "ACCEPT", "protocol": "TCP", "ports": "22, 80-81",
                     "addresses": {"ipv4": ["127.0.0.0/8", "10.0.0.0/8"], "ipv6": ["::/0"]}},
                    {"action": "DROP", "protocol": "ICMP", "addresses": {"ipv6": ["::/0"]}},
                    {"action": "ACCEPT", "protocol": "UDP", "addresses": {"ipv4": ["0.0.0.0/0"]}},
                    {"action": "DROP", "protocol": "IPENCAP", "addresses": {"ipv4": ["0.0.0.0/0"]}}]})");
    const auto& in = *rules.inbound;
    EXPECT_EQ(statements(in[0], "in"),
              (std::vector<std::string>{
                  "ip saddr { 127.0.0.0/8, 10.0.0.0/8 } meta l4proto tcp th dport { 22, 80-81 } "
                  "return",
                  "ip6 saddr { ::/0 } meta l4proto tcp th dport { 22, 80-81 } return"}));
    EXPECT_EQ(statements(in[1], "in"),
              std::vector<std::string>{"ip6 saddr { ::/0 } meta l4proto ipv6-icmp drop"});
    EXPECT_EQ(statements(in[2], "out"),
              std::vector<std::string>{"ip daddr { 0.0.0.0/0 } meta l4proto udp return"});
    EXPECT_EQ(statements(in[3], "in"),
              std::vector<std::string>{"ip saddr { 0.0.0.0/0 } meta l4proto 4 drop"});
}

TEST(NftFirewall, ATableOfChainsPerLinode) {
    const auto rules = rules_of(R"({"inbound_policy": "DROP", "outbound_policy": "ACCEPT",
        "inbound": [{"action": "ACCEPT", "protocol": "TCP", "ports": "22",
                     "addresses": {"ipv4": ["0.0.0.0/0"]}}], "outbound": null})");
    const auto script = ruleset(loopback("t_fw"), {{7, {"MATCH7", "MATCH7", rules}}});
    // The whole table is replaced in one go.
    EXPECT_EQ(script.find("add table inet t_fw\ndelete table inet t_fw\nadd table inet t_fw\n"),
              0u);
    EXPECT_NE(script.find("add chain inet t_fw input { type filter hook input priority 0; policy "
                          "accept; }\n"),
              std::string::npos);
    EXPECT_NE(script.find("add rule inet t_fw linode_7_in ct state established,related return\n"
                          "add rule inet t_fw linode_7_in ct state invalid drop\n"
                          "add rule inet t_fw linode_7_in ip saddr { 0.0.0.0/0 } meta l4proto tcp "
                          "th dport { 22 } return\nadd rule inet t_fw linode_7_in drop\n"),
              std::string::npos);
    EXPECT_NE(script.find("add rule inet t_fw input MATCH7 jump linode_7_in\n"), std::string::npos);
    EXPECT_NE(script.find("add rule inet t_fw linode_7_out return\n"), std::string::npos);
    EXPECT_NE(script.find("add rule inet t_fw output MATCH7 jump linode_7_out\n"),
              std::string::npos);
    EXPECT_EQ(script.find("input MATCH7 jump linode_7_out"), std::string::npos);
    // The private networks' segments are no firewall's: accepted before any Linode's chain.
    const auto exempt = script.find("add rule inet t_fw output ip daddr 239.192.0.0/14 accept\n");
    ASSERT_NE(exempt, std::string::npos);
    EXPECT_LT(exempt, script.find("add rule inet t_fw output MATCH7"));
    // A Linode's chain never ends the hook's judgement with an accept: another Linode's chain
    // may still drop the packet.
    EXPECT_EQ(script.find("linode_7_in accept"), std::string::npos);
    EXPECT_EQ(script.find(" accept\nadd rule inet t_fw linode"), std::string::npos);
    // Bridge networking: the host routes the Linode's traffic, told apart by its address.
    const auto bridged =
        ruleset(bridge("t_fw"), {{7, {"ip daddr 192.0.2.7", "ip saddr 192.0.2.7", rules}}});
    EXPECT_NE(bridged.find("add rule inet t_fw forward ip daddr 192.0.2.7 jump linode_7_in\n"),
              std::string::npos);
    EXPECT_NE(bridged.find("add rule inet t_fw forward ip saddr 192.0.2.7 jump linode_7_out\n"),
              std::string::npos);
    EXPECT_NE(bridged.find("add rule inet t_fw output ip daddr 192.0.2.7 jump linode_7_in\n"),
              std::string::npos);
    EXPECT_NE(bridged.find("add rule inet t_fw input ip saddr 192.0.2.7 jump linode_7_out\n"),
              std::string::npos);
    // nft takes both tables as written (checked, not applied).
    if (geteuid() == 0 && run({"nft", "list", "tables"}).status == 0) {
        const auto checked = run({"nft", "-c", "-f", "-"}, bridged);
        EXPECT_EQ(checked.status, 0) << checked.output;
    }
}

// Whether a TCP connection to 127.0.0.1:port is taken within half a second.
bool connects(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fd_set writable;
    FD_ZERO(&writable);
    FD_SET(fd, &writable);
    timeval wait{0, 500000};
    int error = -1;
    if (select(fd + 1, nullptr, &writable, nullptr, &wait) == 1) {
        socklen_t size = sizeof error;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
    }
    close(fd);
    return error == 0;
}

TEST(NftFirewall, ClosesAndOpensAPortOfAProcessInTheCgroup) {
    if (geteuid() != 0 || run({"nft", "list", "tables"}).status != 0)
        GTEST_SKIP() << "needs root and nft";
    const fs::path data = fs::temp_directory_path() / ("linnet-fw-" + std::to_string(getpid()));
    fs::create_directories(data);
    guest_traffic::Accounting accounting(data);
    const auto procs = accounting.enter(7);
    if (!procs) GTEST_SKIP() << "this host has no cgroup v2 under /sys/fs/cgroup";
    const auto match = accounting.socket_match(7).value();
    // A listener in the Linode's cgroup, as QEMU's forwarded ports are, until the test is done
    // with it (the stop file) or a minute has passed.
    const int port = 20000 + getpid() % 20000;
    const fs::path stop = data / "stop";
    std::thread server([&] {
        run({"/usr/bin/python3", "-c",
             "import os, socket, time\n"
             "s = socket.socket()\n"
             "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
             "s.bind(('127.0.0.1', " +
                 std::to_string(port) +
                 "))\n"
                 "s.listen(16)\n"
                 "s.settimeout(0.2)\n"
                 "end = time.time() + 60\n"
                 "while time.time() < end and not os.path.exists('" +
                 stop.string() +
                 "'):\n"
                 "    try:\n"
                 "        s.accept()[0].close()\n"
                 "    except OSError:\n"
                 "        pass\n"},
            "", *procs);
    });
    // The listener stops and its thread is joined however the test ends.
    struct Stopped {
        const fs::path& stop;
        std::thread& server;
        void now() {
            if (!server.joinable()) return;
            std::ofstream{stop};
            server.join();
        }
        ~Stopped() { now(); }
    } stopped{stop, server};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!connects(port) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(connects(port)) << "the listener did not come up";
    const std::string table = accounting.table() + "_fw";
    const auto enforce = [&](const std::string& json) {
        return run({"nft", "-f", "-"},
                   ruleset(loopback(table), {{7, {match, match, rules_of(json)}}}));
    };
    // Inbound dropped unless a rule lets it in.
    auto applied = enforce(R"({"inbound_policy": "DROP", "outbound_policy": "ACCEPT"})");
    ASSERT_EQ(applied.status, 0) << applied.output;
    EXPECT_FALSE(connects(port));
    applied = enforce(R"({"inbound_policy": "DROP", "outbound_policy": "ACCEPT", "inbound": [
        {"action": "ACCEPT", "protocol": "TCP", "ports": ")" +
                      std::to_string(port) + R"(", "addresses": {"ipv4": ["127.0.0.0/8"]}}]})");
    ASSERT_EQ(applied.status, 0) << applied.output;
    EXPECT_TRUE(connects(port));
    // A rule for other sources only: closed again.
    applied = enforce(R"({"inbound_policy": "DROP", "outbound_policy": "ACCEPT", "inbound": [
        {"action": "ACCEPT", "protocol": "TCP", "addresses": {"ipv4": ["192.0.2.0/24"]}}]})");
    ASSERT_EQ(applied.status, 0) << applied.output;
    EXPECT_FALSE(connects(port));
    // Outbound dropped: the listener's answers (SYN-ACK) of a new connection are let out as
    // part of it, so an inbound rule is enough.
    applied = enforce(R"({"inbound_policy": "ACCEPT", "outbound_policy": "DROP"})");
    ASSERT_EQ(applied.status, 0) << applied.output;
    EXPECT_TRUE(connects(port));
    stopped.now();
    run({"nft", "delete", "table", "inet", table});
    accounting.forget(7);
    run({"nft", "delete", "table", "inet", accounting.table()});
    fs::remove(accounting.cgroup_root());
    fs::remove_all(data);
}

}  // namespace
}  // namespace linnet::compute::nft_firewall
