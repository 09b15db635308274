// The real knotd answering Linnet's zones, asked with kdig on a free port of 127.0.0.1: zones
// added, changed and removed while the others keep answering, a zone knotd refuses, a knotd
// that died or was left running by an earlier server, and a listen address that is none.
#include "domains/dns_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

#include "compute/process.hpp"

namespace linnet::domains {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using compute::run;

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

pid_t pid_in(const fs::path& file) {
    pid_t pid = 0;
    std::ifstream(file) >> pid;
    return pid;
}

// Running, not merely unreaped.
bool alive(pid_t pid) {
    const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
    const auto paren = stat.rfind(") ");
    return paren != std::string::npos && stat.size() > paren + 2 && stat[paren + 2] != 'Z' &&
           stat[paren + 2] != 'X';
}

bool can_bind(int type, int port) {
    const int fd = socket(AF_INET, type, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

// A port of 127.0.0.1 free for both TCP and UDP.
int free_port() {
    for (int attempt = 0; attempt < 20; ++attempt) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof addr;
        bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size);
        close(fd);
        const int port = ntohs(addr.sin_port);
        if (can_bind(SOCK_DGRAM, port)) return port;
    }
    return 0;
}

std::string zone_text(const std::string& name, std::int64_t serial, const std::string& www) {
    return "$ORIGIN " + name + ".\n$TTL 300\n@ IN SOA ns1 hostmaster " + std::to_string(serial) +
           " 3600 600 86400 300\n"
           "@ IN NS ns1\n"
           "ns1 IN A 192.0.2.1\n"
           "www IN A " +
           www +
           "\n"
           "@ IN MX 10 mail\n"
           "mail IN A 192.0.2.25\n"
           "@ IN TXT \"v=spf1 -all\" \"say \\\"hi\\\" there\"\n";
}

ServedZone zone(const std::string& name, std::int64_t serial, const std::string& www) {
    return {name, serial, zone_text(name, serial, www), {}};
}

class DnsServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!fs::exists("/usr/sbin/knotd") || !fs::exists("/usr/bin/kdig"))
            GTEST_SKIP() << "needs Knot DNS: /usr/sbin/knotd and /usr/bin/kdig";
        static int serial = 0;
        folder_ = fs::temp_directory_path() /
                  ("linnet-dns-" + std::to_string(getpid()) + "-" + std::to_string(++serial));
        fs::remove_all(folder_);
        port_ = free_port();
        ASSERT_NE(port_, 0);
    }
    void TearDown() override {
        if (!folder_.empty()) fs::remove_all(folder_);
    }

    std::string listen() const { return "127.0.0.1:" + std::to_string(port_); }
    // kdig's short answer: one line per record, nothing when there is no answer.
    std::string dig(const std::string& name, const std::string& type) const {
        return run({"kdig", "@127.0.0.1", "-p", std::to_string(port_), "+short", "+time=1",
                    "+retry=1", name, type})
            .output;
    }
    // The answer's status (NOERROR, REFUSED, SERVFAIL...), asked over TCP, which a port nobody
    // listens on refuses at once.
    std::string status(const std::string& name) const {
        const std::string out = run({"kdig", "@127.0.0.1", "-p", std::to_string(port_), "+tcp",
                                     "+time=1", "+retry=1", name, "A"})
                                    .output;
        const auto at = out.find("status: ");
        if (at == std::string::npos) return "no answer";
        return out.substr(at + 8, out.find(';', at) - at - 8);
    }
    // Polls until `done`; false when it is not within 10 s.
    static bool eventually(const std::function<bool()>& done) {
        const auto deadline = Clock::now() + std::chrono::seconds(10);
        while (!done()) {
            if (Clock::now() > deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return true;
    }
    bool answers(const std::string& name, const std::string& address) const {
        return eventually([&] { return dig(name, "A") == address + "\n"; });
    }

    fs::path folder_;
    int port_ = 0;
};

TEST_F(DnsServerTest, AnswersEveryZoneItIsGiven) {
    DnsServer server(folder_, listen());
    ASSERT_TRUE(
        server.serve({zone("example.com", 1, "192.0.2.10"), zone("example.org", 1, "192.0.2.20")}))
        << server.problem();
    EXPECT_EQ(server.problem(), "");
    EXPECT_EQ(dig("www.example.com", "A"), "192.0.2.10\n");
    EXPECT_EQ(dig("www.example.org", "A"), "192.0.2.20\n");
    EXPECT_EQ(dig("example.com", "MX"), "10 mail.example.com.\n");
    EXPECT_EQ(dig("example.com", "TXT"), "\"v=spf1 -all\" \"say \\\"hi\\\" there\"\n");
    EXPECT_EQ(slurp(folder_ / "zones" / "example.com.zone"),
              zone_text("example.com", 1, "192.0.2.10"));
    // Everything of knotd's is in the folder.
    for (const char* file : {"knot.conf", "knot.sock", "knot.pid", "knotd.log"})
        EXPECT_TRUE(fs::exists(folder_ / file)) << file;
    // The same zones again: nothing to do, still answered.
    ASSERT_TRUE(
        server.serve({zone("example.com", 1, "192.0.2.10"), zone("example.org", 1, "192.0.2.20")}));
    EXPECT_EQ(dig("www.example.org", "A"), "192.0.2.20\n");
    server.stop();
    EXPECT_EQ(status("www.example.org"), "no answer");
}

TEST_F(DnsServerTest, AChangedZoneIsAnsweredWhileTheOtherKeepsAnswering) {
    DnsServer server(folder_, listen());
    ASSERT_TRUE(
        server.serve({zone("example.com", 1, "192.0.2.10"), zone("example.org", 1, "192.0.2.20")}))
        << server.problem();
    const pid_t knotd = pid_in(folder_ / "knot.pid");
    // The other zone is asked all along, from before the change until a zone was added and
    // removed after it.
    std::atomic<bool> done = false;
    std::atomic<int> asked = 0, missed = 0;
    std::thread other([&] {
        while (!done) {
            if (dig("www.example.org", "A") != "192.0.2.20\n") ++missed;
            ++asked;
        }
    });
    ASSERT_TRUE(eventually([&] { return asked > 0; }));
    const auto before = Clock::now();
    const bool served =
        server.serve({zone("example.com", 2, "192.0.2.11"), zone("example.org", 1, "192.0.2.20")});
    const auto returned = Clock::now();
    const bool changed = answers("www.example.com", "192.0.2.11");
    const auto answered = Clock::now();
    const bool added =
        server.serve({zone("example.com", 2, "192.0.2.11"), zone("example.org", 1, "192.0.2.20"),
                      zone("example.net", 1, "192.0.2.40")});
    const bool net_answered = answers("www.example.net", "192.0.2.40");
    const bool removed =
        server.serve({zone("example.com", 2, "192.0.2.11"), zone("example.org", 1, "192.0.2.20")});
    const auto more = asked.load();
    EXPECT_TRUE(eventually([&] { return asked > more; }));
    done = true;
    other.join();
    ASSERT_TRUE(served) << server.problem();
    EXPECT_TRUE(changed);
    EXPECT_TRUE(added && net_answered && removed) << server.problem();
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    std::cout << "[ timing   ] serve() took "
              << duration_cast<milliseconds>(returned - before).count()
              << " ms; the new record was answered "
              << duration_cast<milliseconds>(answered - returned).count()
              << " ms after it returned; example.org was asked " << asked << " times meanwhile\n";
    EXPECT_EQ(missed, 0);
    // A change is a reload of the zone, not a new knotd.
    EXPECT_EQ(pid_in(folder_ / "knot.pid"), knotd);
    EXPECT_EQ(status("www.example.net"), "REFUSED");
}

TEST_F(DnsServerTest, ARemovedZoneIsNoLongerAnswered) {
    DnsServer server(folder_, listen());
    ASSERT_TRUE(
        server.serve({zone("example.com", 1, "192.0.2.10"), zone("example.org", 1, "192.0.2.20")}))
        << server.problem();
    ASSERT_TRUE(server.serve({zone("example.org", 1, "192.0.2.20")})) << server.problem();
    EXPECT_EQ(dig("www.example.com", "A"), "");
    EXPECT_EQ(status("www.example.com"), "REFUSED");
    EXPECT_EQ(dig("www.example.org", "A"), "192.0.2.20\n");
    EXPECT_FALSE(fs::exists(folder_ / "zones" / "example.com.zone"));
    // Added back as it was, then no zone at all: knotd still runs and refuses every question.
    ASSERT_TRUE(
        server.serve({zone("example.com", 1, "192.0.2.10"), zone("example.org", 1, "192.0.2.20")}))
        << server.problem();
    EXPECT_EQ(dig("www.example.com", "A"), "192.0.2.10\n");
    ASSERT_TRUE(server.serve({})) << server.problem();
    EXPECT_EQ(status("www.example.org"), "REFUSED");
    EXPECT_TRUE(fs::is_empty(folder_ / "zones"));
}

TEST_F(DnsServerTest, AZoneKnotdRefusesIsNamedAndTheOthersAnswer) {
    DnsServer server(folder_, listen());
    // A CNAME beside other data at one name.
    ServedZone broken = zone("broken.test", 1, "192.0.2.30");
    broken.text += "www IN CNAME elsewhere.example.\n";
    EXPECT_FALSE(server.serve({zone("example.org", 1, "192.0.2.20"), broken}));
    EXPECT_NE(server.problem().find("zone broken.test: "), std::string::npos) << server.problem();
    EXPECT_NE(server.problem().find("CNAME"), std::string::npos) << server.problem();
    EXPECT_EQ(server.problem().find("example.org"), std::string::npos) << server.problem();
    EXPECT_EQ(dig("www.example.org", "A"), "192.0.2.20\n");
    std::cout << "[ problem  ] " << server.problem() << "\n";

    // A zone knotd answered becomes garbage: its previous version stays answered.
    ServedZone garbage{"example.org", 2, "$ORIGIN example.org.\nthis is no zone file !!\n", {}};
    EXPECT_FALSE(server.serve({garbage, broken}));
    EXPECT_NE(server.problem().find("zone example.org: "), std::string::npos) << server.problem();
    EXPECT_NE(server.problem().find("previous version"), std::string::npos) << server.problem();
    EXPECT_EQ(dig("www.example.org", "A"), "192.0.2.20\n");
    std::cout << "[ problem  ] " << server.problem() << "\n";

    // Names that are none never reach knot.conf.
    EXPECT_FALSE(server.serve({zone("example.org", 3, "192.0.2.21"),
                               {"evil.\"\nzone:\n  - domain: x", 1, "whatever", {}}}));
    EXPECT_NE(server.problem().find("not a zone name"), std::string::npos) << server.problem();
    EXPECT_EQ(slurp(folder_ / "knot.conf").find("evil"), std::string::npos);
    EXPECT_EQ(dig("www.example.org", "A"), "192.0.2.21\n");

    // Mended: all answered, no problem.
    ASSERT_TRUE(
        server.serve({zone("example.org", 4, "192.0.2.22"), zone("broken.test", 2, "192.0.2.30")}))
        << server.problem();
    EXPECT_EQ(server.problem(), "");
    EXPECT_EQ(dig("www.broken.test", "A"), "192.0.2.30\n");
    EXPECT_EQ(dig("www.example.org", "A"), "192.0.2.22\n");
}

TEST_F(DnsServerTest, AKnotdThatDiedIsStartedAgain) {
    DnsServer server(folder_, listen());
    const std::vector<ServedZone> zones{zone("example.com", 1, "192.0.2.10")};
    ASSERT_TRUE(server.serve(zones)) << server.problem();
    const pid_t first = pid_in(folder_ / "knot.pid");
    ASSERT_GT(first, 0);
    kill(first, SIGKILL);
    // Dead (a zombie until the server reaps it) and silent.
    ASSERT_TRUE(eventually([&] { return !alive(first); }));
    EXPECT_EQ(status("www.example.com"), "no answer");
    ASSERT_TRUE(server.serve(zones)) << server.problem();
    EXPECT_EQ(dig("www.example.com", "A"), "192.0.2.10\n");
    EXPECT_NE(pid_in(folder_ / "knot.pid"), first);
}

TEST_F(DnsServerTest, AKnotdLeftRunningOnTheFolderIsStoppedAndReplaced) {
    {
        DnsServer first(folder_, listen());
        ASSERT_TRUE(first.serve({zone("example.com", 1, "192.0.2.10")})) << first.problem();
    }
    // What a linnetd killed before it could stop its knotd leaves: a knotd on the folder's
    // configuration, holding the port (started here daemonized, as no child of this process).
    const auto leftover = run({"/usr/sbin/knotd", "-d", "-c", (folder_ / "knot.conf").string()});
    ASSERT_EQ(leftover.status, 0) << leftover.output;
    ASSERT_TRUE(answers("www.example.com", "192.0.2.10"));
    const pid_t left = pid_in(folder_ / "knot.pid");
    ASSERT_GT(left, 0);
    {
        DnsServer second(folder_, listen());
        ASSERT_TRUE(second.serve({zone("example.com", 2, "192.0.2.11")})) << second.problem();
        EXPECT_EQ(dig("www.example.com", "A"), "192.0.2.11\n");
        EXPECT_FALSE(alive(left));
        // Killed, and its pid file naming a live process that is no knotd (a pid reused).
        const pid_t second_knotd = pid_in(folder_ / "knot.pid");
        kill(second_knotd, SIGKILL);
    }
    std::ofstream(folder_ / "knot.pid") << getpid() << "\n";
    DnsServer third(folder_, listen());
    ASSERT_TRUE(third.serve({zone("example.com", 3, "192.0.2.12")})) << third.problem();
    EXPECT_EQ(dig("www.example.com", "A"), "192.0.2.12\n");
}

TEST_F(DnsServerTest, AListenAddressThatIsNoneOrTakenIsAProblem) {
    for (const char* bad : {"localhost:53", "127.0.0.1", "127.0.0.1:99999", "::1:53"}) {
        DnsServer server(folder_, bad);
        EXPECT_FALSE(server.serve({zone("example.com", 1, "192.0.2.10")})) << bad;
        EXPECT_NE(server.problem().find(std::string("\"") + bad + "\""), std::string::npos)
            << server.problem();
        EXPECT_FALSE(fs::exists(folder_ / "knot.pid"));
    }
    // Another program holds the port.
    const int holder = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(holder, 1), 0);
    DnsServer server(folder_, listen());
    EXPECT_FALSE(server.serve({zone("example.com", 1, "192.0.2.10")}));
    EXPECT_NE(server.problem().find("in use"), std::string::npos) << server.problem();
    std::cout << "[ problem  ] " << server.problem() << "\n";
    close(holder);
    // Free again: the next look starts it.
    ASSERT_TRUE(server.serve({zone("example.com", 1, "192.0.2.10")})) << server.problem();
    EXPECT_EQ(dig("www.example.com", "A"), "192.0.2.10\n");
}

}  // namespace
}  // namespace linnet::domains
