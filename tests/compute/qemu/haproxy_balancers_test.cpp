// The HAProxy serving NodeBalancers, for real where /usr/sbin/haproxy is installed: two tiny
// upstreams on 127.0.0.1 behind a NodeBalancer on another loopback address; balancing, a node
// going down, reloads that keep connections and refuse none, TLS, the Cloud Firewall, bad ports
// left out, a leftover HAProxy taken over, a dead one started again, and health read back.
#include "compute/qemu/haproxy_balancers.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "compute/process.hpp"

namespace linnet::compute::haproxy {
namespace {

namespace fs = std::filesystem;
using nodebalancers::Backend;
using nodebalancers::Balancer;
using nodebalancers::Port;

constexpr const char* kHaproxy = "/usr/sbin/haproxy";

// Polls `done` until it holds or a generous deadline passes.
bool eventually(const std::function<bool()>& done,
                std::chrono::seconds deadline = std::chrono::seconds(30)) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
}

void set_timeouts(int fd, int seconds) {
    timeval tv{seconds, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

sockaddr_in address_of(const std::string& ip, int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
    return a;
}

// A port nothing listens on at `ip` now.
int free_port(const std::string& ip) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto a = address_of(ip, 0);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

// A connection from 127.0.0.1 (the address the firewall tests name), or -1.
int connect_to(const std::string& ip, int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    set_timeouts(fd, 5);
    auto from = address_of("127.0.0.1", 0);
    auto to = address_of(ip, port);
    if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool send_all(int fd, const std::string& data) {
    for (std::size_t done = 0; done < data.size();) {
        const ssize_t n = send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
        out.append(buf, static_cast<std::size_t>(n));
    return out;
}

// The whole response to a GET, or "" when the connection was refused or closed unanswered.
std::string get(const std::string& ip, int port) {
    const int fd = connect_to(ip, port);
    if (fd < 0) return "";
    std::string response;
    if (send_all(fd, "GET / HTTP/1.0\r\nHost: nb.test\r\n\r\n")) response = read_all(fd);
    close(fd);
    return response;
}

// The upstream's name: the first line of the response's body.
std::string answered_by(const std::string& response) {
    const auto body = response.find("\r\n\r\n");
    if (body == std::string::npos) return "";
    return response.substr(body + 4, response.find('\n', body + 4) - body - 4);
}

// A tiny upstream on 127.0.0.1: answers HTTP requests with its name, `extra` and the request's
// head; echoes anything else back.
class Upstream {
  public:
    explicit Upstream(std::string name, std::string extra = "")
        : name_(std::move(name)), extra_(std::move(extra)) {
        fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        auto a = address_of("127.0.0.1", 0);
        bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        listen(fd_, 64);
        socklen_t len = sizeof a;
        getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~Upstream() { stop(); }

    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    void set_extra(std::string extra) {
        std::lock_guard lock(mutex_);
        extra_ = std::move(extra);
    }
    // The first lines of the HTTP requests it was sent.
    std::vector<std::string> requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    // Stops listening (new connections are refused) and ends the connections it has.
    void stop() {
        if (stopping_.exchange(true)) return;
        acceptor_.join();
        close(fd_);
        std::vector<std::thread> threads;
        {
            std::lock_guard lock(mutex_);
            for (const int fd : connections_) shutdown(fd, SHUT_RDWR);
            threads.swap(threads_);
        }
        for (auto& t : threads) t.join();
    }

  private:
    void accept_loop() {
        while (!stopping_) {
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 100) <= 0) continue;
            const int fd = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) continue;
            std::lock_guard lock(mutex_);
            connections_.push_back(fd);
            threads_.emplace_back([this, fd] { serve(fd); });
        }
    }

    void serve(int fd) {
        std::string data;
        char buf[4096];
        auto more = [&] {
            const ssize_t n = read(fd, buf, sizeof buf);
            if (n <= 0) return false;
            data.append(buf, static_cast<std::size_t>(n));
            return true;
        };
        while (data.size() < 4 && data.find('\n') == std::string::npos && more()) {
        }
        if (data.rfind("GET ", 0) == 0 || data.rfind("HEAD", 0) == 0) {
            while (data.find("\r\n\r\n") == std::string::npos && more()) {
            }
            const std::string head = data.substr(0, data.find("\r\n\r\n") + 2);
            std::string body;
            {
                std::lock_guard lock(mutex_);
                requests_.push_back(head.substr(0, head.find("\r\n")));
                body = name_ + "\n" + extra_ + "\n" + head;
            }
            send_all(fd, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        } else {
            while (!data.empty() && send_all(fd, data)) {
                data.clear();
                if (!more()) break;
            }
        }
        shutdown(fd, SHUT_RDWR);
        std::lock_guard lock(mutex_);
        std::erase(connections_, fd);
        close(fd);
    }

    std::string name_;
    std::string extra_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<int> connections_;
    std::vector<std::thread> threads_;
    std::vector<std::string> requests_;
};

// An exited process, reaped or not (the daemonized master's parent is init).
bool gone(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto paren = stat.rfind(')');
    return paren == std::string::npos || stat.substr(paren + 2, 1) == "Z";
}

Backend node(std::int64_t id, const std::string& address, int weight = 50) {
    Backend b;
    b.node_id = id;
    b.address = address;
    b.weight = weight;
    return b;
}

class HaproxyBalancers : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!fs::exists(kHaproxy)) GTEST_SKIP() << "no HAProxy at " << kHaproxy;
        char pattern[] = "/tmp/linnet-hap-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        folder_ = pattern;
        std::random_device random;
        ip_ = "127.0.0." + std::to_string(2 + random() % 249);
    }
    void TearDown() override {
        std::error_code ec;
        if (!folder_.empty()) fs::remove_all(folder_, ec);
    }

    // An http port with checks every second, over `nodes`.
    Port port(std::int64_t config_id, const std::string& protocol, std::vector<Backend> nodes,
              const std::string& check = "http") {
        Port p;
        p.config_id = config_id;
        p.port = free_port(ip_);
        p.protocol = protocol;
        p.check = check;
        p.check_interval = 1;
        p.check_timeout = 1;
        p.check_attempts = 2;
        p.nodes = std::move(nodes);
        return p;
    }

    Balancer balancer(std::vector<Port> ports) {
        Balancer b;
        b.id = 1;
        b.address = ip_;
        b.ports = std::move(ports);
        return b;
    }

    fs::path folder_;
    std::string ip_;
};

TEST_F(HaproxyBalancers, RoundRobinThenAroundADeadNodeWithCounters) {
    Upstream a("upstream-a"), b("upstream-b");
    const auto p = port(7, "http", {node(1, a.address()), node(2, b.address())});
    Balancers balancers(folder_);
    ASSERT_TRUE(balancers.serve({balancer({p})}));
    ASSERT_NE(balancers.master(), 0);
    ASSERT_TRUE(eventually([&] {
        const auto h = balancers.health();
        return h.nodes.count(1) && h.nodes.at(1).status == "UP" && h.nodes.count(2) &&
               h.nodes.at(2).status == "UP";
    }));

    // Requests alternate between the two.
    std::vector<std::string> seen;
    for (int i = 0; i < 6; ++i) seen.push_back(answered_by(get(ip_, p.port)));
    for (std::size_t i = 0; i < seen.size(); ++i) {
        EXPECT_TRUE(seen[i] == "upstream-a" || seen[i] == "upstream-b") << seen[i];
        if (i > 0) {
            EXPECT_NE(seen[i], seen[i - 1]);
        }
    }
    const auto response = get(ip_, p.port);
    EXPECT_NE(response.find("x-forwarded-for: 127.0.0.1\r\n"), std::string::npos) << response;
    EXPECT_NE(response.find("x-forwarded-proto: http\r\n"), std::string::npos) << response;

    // Counters of the port grow with its connections (the bytes once HAProxy has closed them).
    const auto before = balancers.health().ports[7];
    EXPECT_GE(before.connections, 7);
    EXPECT_GT(before.bytes_in, 0);
    EXPECT_GT(before.bytes_out, 0);
    EXPECT_FALSE(get(ip_, p.port).empty());
    EXPECT_TRUE(eventually([&] {
        const auto after = balancers.health().ports[7];
        return after.connections == before.connections + 1 && after.bytes_in > before.bytes_in &&
               after.bytes_out > before.bytes_out;
    }));

    // One node stops: its checks fail, and every request reaches the other.
    b.stop();
    ASSERT_TRUE(eventually([&] { return balancers.health().nodes[2].status == "DOWN"; }));
    EXPECT_EQ(balancers.health().nodes[1].status, "UP");
    for (int i = 0; i < 6; ++i) EXPECT_EQ(answered_by(get(ip_, p.port)), "upstream-a");
}

TEST_F(HaproxyBalancers, NodesWithoutChecksAreUpUnlessRejected) {
    Upstream a("upstream-a");
    auto p = port(
        7, "http",
        {node(1, a.address()), node(2, a.address()), node(3, a.address()), node(4, a.address())},
        "none");
    p.nodes[1].mode = "reject";
    p.nodes[2].mode = "drain";
    p.nodes[3].mode = "backup";
    auto empty = port(8, "http", {}, "none");
    Balancers balancers(folder_);
    ASSERT_TRUE(balancers.serve({balancer({p, empty})}));
    const auto health = balancers.health();
    EXPECT_EQ(health.nodes.at(1).status, "UP");
    EXPECT_EQ(health.nodes.at(2).status, "DOWN");
    EXPECT_EQ(health.nodes.at(3).status, "UP");
    EXPECT_EQ(health.nodes.at(4).status, "UP");
    for (int i = 0; i < 4; ++i) EXPECT_EQ(answered_by(get(ip_, p.port)), "upstream-a");
    // A port without nodes listens, and says there is no one to serve.
    EXPECT_EQ(get(ip_, empty.port).rfind("HTTP/1.1 503", 0), 0u);
}

TEST_F(HaproxyBalancers, ReloadKeepsConnectionsAndRefusesNone) {
    Upstream a("upstream-a"), b("upstream-b");
    const auto web = port(7, "http", {node(1, a.address()), node(2, b.address())});
    const auto tcp = port(8, "tcp", {node(3, a.address())}, "connection");
    Balancers balancers(folder_);
    ASSERT_TRUE(balancers.serve({balancer({web, tcp})}));
    const pid_t master = balancers.master();

    // A long-lived connection through the tcp port (the upstream echoes).
    const int fd = connect_to(ip_, tcp.port);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(send_all(fd, "ping 1\n"));
    char buf[64];
    ASSERT_EQ(read(fd, buf, sizeof buf), 7);

    // Clients keep coming while the configuration changes.
    std::atomic<bool> done{false};
    std::atomic<int> answered{0}, failed{0};
    std::thread clients([&] {
        while (!done) (answered_by(get(ip_, web.port)).empty() ? failed : answered)++;
    });
    ASSERT_TRUE(eventually([&] { return answered > 5; }));
    auto changed = web;
    changed.nodes[1].weight = 200;
    EXPECT_TRUE(balancers.serve({balancer({changed, tcp})}));
    EXPECT_EQ(balancers.master(), master);  // reloaded, not restarted
    const int answered_at_reload = answered;
    ASSERT_TRUE(eventually([&] { return answered > answered_at_reload + 20; }));
    done = true;
    clients.join();
    EXPECT_EQ(failed, 0);
    EXPECT_GT(answered, 20);

    // The connection made before the reload is still served.
    ASSERT_TRUE(send_all(fd, "ping 2\n"));
    ASSERT_EQ(read(fd, buf, sizeof buf), 7);
    EXPECT_EQ(std::string(buf, 7), "ping 2\n");
    close(fd);

    // The same NodeBalancers again: nothing to do.
    EXPECT_TRUE(balancers.serve({balancer({changed, tcp})}));
    EXPECT_EQ(balancers.master(), master);
}

TEST_F(HaproxyBalancers, HttpsPortTerminatesTls) {
    const auto made =
        run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", (folder_ / "key.pem").string(), "-out",
             (folder_ / "cert.pem").string(), "-days", "1", "-subj", "/CN=nb.test"});
    ASSERT_EQ(made.status, 0) << made.output;
    Upstream a("upstream-a");
    auto p = port(7, "https", {node(1, a.address())});
    p.ssl_cert = run_checked({"cat", (folder_ / "cert.pem").string()});
    p.ssl_key = run_checked({"cat", (folder_ / "key.pem").string()});
    Balancers balancers(folder_ / "haproxy");
    ASSERT_TRUE(balancers.serve({balancer({p})}));

    // The certificate and key are readable by their owner only.
    bool found = false;
    for (const auto& entry : fs::recursive_directory_iterator(folder_ / "haproxy")) {
        if (entry.path().extension() != ".pem") continue;
        found = true;
        struct stat st {};
        ASSERT_EQ(stat(entry.path().c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u);
    }
    EXPECT_TRUE(found);

    const auto response =
        run({"timeout", "20", "openssl", "s_client", "-connect", ip_ + ":" + std::to_string(p.port),
             "-servername", "nb.test", "-quiet", "-ign_eof"},
            "GET / HTTP/1.0\r\nHost: nb.test\r\n\r\n");
    EXPECT_NE(response.output.find(" 200 OK"), std::string::npos) << response.output;
    EXPECT_NE(response.output.find("upstream-a\n"), std::string::npos) << response.output;
    EXPECT_NE(response.output.find("x-forwarded-proto: https\r\n"), std::string::npos);
    // Plain HTTP on the TLS port gets nothing from the upstream.
    EXPECT_EQ(get(ip_, p.port).find("upstream-a"), std::string::npos);
}

TEST_F(HaproxyBalancers, BadCertificateOrHeldPortLeavesOnlyThatPortOut) {
    Upstream a("upstream-a");
    const auto good = port(7, "http", {node(1, a.address())});
    auto bad_cert = port(8, "https", {node(2, a.address())});
    bad_cert.ssl_cert = "-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n";
    bad_cert.ssl_key = "nor a key";
    auto held = port(9, "http", {node(3, a.address())});
    // Another program holds the third port.
    const int holder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto at = address_of(ip_, held.port);
    ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&at), sizeof at), 0);
    ASSERT_EQ(listen(holder, 4), 0);

    Balancers balancers(folder_);
    EXPECT_FALSE(balancers.serve({balancer({good, bad_cert, held})}));
    EXPECT_EQ(answered_by(get(ip_, good.port)), "upstream-a");
    const auto health = balancers.health();
    EXPECT_TRUE(health.ports.count(7));
    EXPECT_FALSE(health.ports.count(8));
    EXPECT_FALSE(health.ports.count(9));
    close(holder);

    // Once the port is free it is served too.
    EXPECT_FALSE(balancers.serve({balancer({good, bad_cert, held})}));  // the certificate still
    EXPECT_EQ(answered_by(get(ip_, held.port)), "upstream-a");
}

TEST_F(HaproxyBalancers, FirewallRefusesAddressesItDoesNotAccept) {
    Upstream a("upstream-a");
    const auto p = port(7, "http", {node(1, a.address())});
    firewalls::Rule accept_other;
    accept_other.action = "ACCEPT";
    accept_other.protocol = "TCP";
    accept_other.ipv4 = std::vector<std::string>{"10.9.9.9/32"};
    firewalls::Rules rules;
    rules.inbound_policy = "DROP";
    rules.inbound = std::vector<firewalls::Rule>{accept_other};
    auto b = balancer({p});
    b.firewall = rules;
    Balancers balancers(folder_);
    ASSERT_TRUE(balancers.serve({b}));
    EXPECT_EQ(get(ip_, p.port), "");

    // Accepting the test's address lets it in.
    auto accept_us = accept_other;
    accept_us.ipv4 = std::vector<std::string>{"127.0.0.1/32"};
    b.firewall->inbound->push_back(accept_us);
    ASSERT_TRUE(balancers.serve({b}));
    EXPECT_EQ(answered_by(get(ip_, p.port)), "upstream-a");

    // The first rule that matches decides: a DROP of loopback before an ACCEPT of everyone.
    auto drop_loopback = accept_other;
    drop_loopback.action = "DROP";
    drop_loopback.ipv4 = std::vector<std::string>{"127.0.0.0/8"};
    auto accept_all = accept_other;
    accept_all.ipv4 = std::vector<std::string>{"0.0.0.0/0"};
    b.firewall->inbound_policy = "ACCEPT";
    b.firewall->inbound = std::vector<firewalls::Rule>{drop_loopback, accept_all};
    ASSERT_TRUE(balancers.serve({b}));
    EXPECT_EQ(get(ip_, p.port), "");
}

TEST_F(HaproxyBalancers, HttpBodyCheckMatchesTextThatLooksLikeConfiguration) {
    const int evil_port = free_port("127.0.0.1");
    const std::string body =
        "say \"hi\" $HOME \\ #x 'q'\nlisten evil\n    bind 127.0.0.1:" + std::to_string(evil_port);
    Upstream a("upstream-a", body), b("upstream-b", "something else");
    auto p = port(7, "http", {node(1, a.address()), node(2, b.address())}, "http_body");
    p.check_body = body;
    p.check_path = "/health check\"'#$x";
    Balancers balancers(folder_);
    ASSERT_TRUE(balancers.serve({balancer({p})}));
    // The node whose answer lacks the text goes down, and comes up once its answer has it.
    ASSERT_TRUE(eventually([&] { return balancers.health().nodes[2].status == "DOWN"; }));
    EXPECT_EQ(balancers.health().nodes[1].status, "UP");
    b.set_extra(body);
    ASSERT_TRUE(eventually([&] { return balancers.health().nodes[2].status == "UP"; }));
    const auto requests = a.requests();
    EXPECT_NE(
        std::find(requests.begin(), requests.end(), "GET /health%20check%22%27%23%24x HTTP/1.0"),
        requests.end());
    // Nothing was configured from the text.
    EXPECT_LT(connect_to("127.0.0.1", evil_port), 0);
}

TEST_F(HaproxyBalancers, TakesOverALeftoverHaproxy) {
    Upstream a("upstream-a"), b("upstream-b");
    const auto p = port(7, "http", {node(1, a.address())});
    Balancers first(folder_);
    ASSERT_TRUE(first.serve({balancer({p})}));
    const pid_t master = first.master();
    // As if the linnetd that started it was killed, and its pid file lost too.
    fs::remove(folder_ / "haproxy.pid");
    {
        Balancers second(folder_);
        auto changed = p;
        changed.nodes = {node(2, b.address())};
        ASSERT_TRUE(second.serve({balancer({changed})}));
        EXPECT_EQ(second.master(), master);
        EXPECT_EQ(answered_by(get(ip_, p.port)), "upstream-b");
    }
    // The one that took it over stopped it.
    EXPECT_TRUE(eventually([&] { return gone(master); }));
}

TEST_F(HaproxyBalancers, StartsAgainAfterHaproxyDied) {
    Upstream a("upstream-a");
    const auto p = port(7, "http", {node(1, a.address())});
    Balancers balancers(folder_);
    ASSERT_TRUE(balancers.serve({balancer({p})}));
    const pid_t master = balancers.master();
    ASSERT_EQ(kill(master, SIGKILL), 0);
    ASSERT_TRUE(eventually([&] { return gone(master); }));
    ASSERT_TRUE(balancers.serve({balancer({p})}));
    EXPECT_NE(balancers.master(), master);
    EXPECT_NE(balancers.master(), 0);
    EXPECT_TRUE(eventually([&] { return answered_by(get(ip_, p.port)) == "upstream-a"; }));
}

TEST_F(HaproxyBalancers, StopsWhenNoneAreLeft) {
    Upstream a("upstream-a");
    const auto p = port(7, "http", {node(1, a.address())});
    Balancers balancers(folder_);
    ASSERT_TRUE(balancers.serve({balancer({p})}));
    const pid_t master = balancers.master();
    EXPECT_TRUE(balancers.serve({}));
    EXPECT_EQ(balancers.master(), 0);
    EXPECT_TRUE(gone(master));
    EXPECT_TRUE(eventually([&] { return connect_to(ip_, p.port) < 0; }));
    EXPECT_TRUE(balancers.health().nodes.empty());
    // And a NodeBalancer without ports needs none either.
    EXPECT_TRUE(balancers.serve({balancer({})}));
    EXPECT_EQ(balancers.master(), 0);
}

TEST(HaproxyStat, NodesAndPortsFromShowStat) {
    const std::string csv =
        "# pxname,svname,qcur,stot,bin,bout,status,check_status,last_chk\n"
        "nb1_c7,FRONTEND,,12,3400,56000,OPEN,,\n"
        "nb1_c7,n1,0,6,1700,28000,UP,L7OK,\"HTTP status check returned code <3C>200<3E>, ok\"\n"
        "nb1_c7,n2,0,6,1700,28000,UP 1/3,L4CON,\n"
        "nb1_c7,n3,0,0,0,0,DOWN 1/2,L7OK,\n"
        "nb1_c7,n4,0,0,0,0,no check,,\n"
        "nb1_c7,n5,0,0,0,0,MAINT,,\n"
        "nb1_c7,n6,0,0,0,0,DRAIN,L7OK,\n"
        "nb1_c7,n7,0,0,0,0,UP,* INI,\n"
        "nb1_c7,n8,0,0,0,0,DOWN,L4TOUT,\n"
        "nb1_c7,BACKEND,0,12,3400,56000,UP,,\n"
        "nb1_c8,FRONTEND,,3,10,20,OPEN,,\r\n"
        "nb1_throttle,BACKEND,0,0,0,0,UP,,\n"
        "stats,FRONTEND,,1,1,1,OPEN,,\n"
        "garbage line\n";
    const auto h = read_stat(csv);
    ASSERT_EQ(h.ports.size(), 2u);
    EXPECT_EQ(h.ports.at(7).connections, 12);
    EXPECT_EQ(h.ports.at(7).bytes_in, 3400);
    EXPECT_EQ(h.ports.at(7).bytes_out, 56000);
    EXPECT_EQ(h.ports.at(8).connections, 3);
    EXPECT_EQ(h.nodes.size(), 8u);
    EXPECT_EQ(h.nodes.at(1).status, "UP");
    EXPECT_EQ(h.nodes.at(2).status, "UP");
    EXPECT_EQ(h.nodes.at(3).status, "DOWN");
    EXPECT_EQ(h.nodes.at(4).status, "UP");
    EXPECT_EQ(h.nodes.at(5).status, "DOWN");
    EXPECT_EQ(h.nodes.at(6).status, "UP");
    EXPECT_EQ(h.nodes.at(7).status, "unknown");
    EXPECT_EQ(h.nodes.at(8).status, "DOWN");
    EXPECT_TRUE(read_stat("").nodes.empty());
    EXPECT_TRUE(read_stat("nb1_c7,n1,UP\n").nodes.empty());  // no header: nothing known
}

}  // namespace
}  // namespace linnet::compute::haproxy
