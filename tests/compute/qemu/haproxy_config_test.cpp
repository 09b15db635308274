// The haproxy.cfg written for NodeBalancers: each API field's HAProxy words, text from API users
// kept inside its one word, input that cannot be served left out with a reason, and (where
// HAProxy is installed) HAProxy accepting a configuration that uses every feature.
#include "compute/qemu/haproxy_config.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "compute/process.hpp"

namespace linnet::compute::haproxy {
namespace {

namespace fs = std::filesystem;
using nodebalancers::Backend;
using nodebalancers::Balancer;
using nodebalancers::Port;

Backend node(std::int64_t id, const std::string& address, const std::string& mode = "accept",
             int weight = 50) {
    Backend b;
    b.node_id = id;
    b.address = address;
    b.mode = mode;
    b.weight = weight;
    return b;
}

Port port_of(std::int64_t config_id, int port, const std::string& protocol) {
    Port p;
    p.config_id = config_id;
    p.port = port;
    p.protocol = protocol;
    p.nodes = {node(12, "10.0.0.5:80"), node(13, "10.0.0.6:8080")};
    return p;
}

Balancer balancer_of(std::vector<Port> ports) {
    Balancer b;
    b.id = 3;
    b.address = "192.0.2.3";
    b.ports = std::move(ports);
    return b;
}

const Settings kSettings{"/srv/linnet/haproxy", {{7, "/srv/linnet/haproxy/certificates/c7.pem"}}};

Config config_for(const Port& port) {
    return config({balancer_of({port})}, kSettings);
}

// The lines of the section of config `id` (without its "listen" line).
std::vector<std::string> section_of(const std::string& text, std::int64_t id) {
    const std::string head = "listen " + proxy_name(3, id) + "\n";
    auto at = text.find(head);
    std::vector<std::string> lines;
    if (at == std::string::npos) return lines;
    at += head.size();
    while (at < text.size() && text[at] != '\n') {
        const auto end = text.find('\n', at);
        lines.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return lines;
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

bool has_part(const std::vector<std::string>& lines, const std::string& part) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const auto& l) { return l.find(part) != std::string::npos; });
}

TEST(HaproxyConfig, GlobalAndDefaults) {
    const auto c = config({}, kSettings);
    EXPECT_TRUE(c.problems.empty());
    EXPECT_NE(c.text.find("global\n    stats socket \"/srv/linnet/haproxy/admin.sock\" mode 600 "
                          "level admin expose-fd listeners\n"),
              std::string::npos);
    EXPECT_NE(c.text.find("\n    retries 3\n    option redispatch\n"), std::string::npos);
    EXPECT_NE(c.text.find("\n    timeout connect 5s\n"), std::string::npos);
    EXPECT_EQ(c.text.find("\n    log "), std::string::npos);  // no syslog
    EXPECT_EQ(c.text.find("listen "), std::string::npos);
    EXPECT_EQ(admin_socket("/x"), fs::path("/x/admin.sock"));
}

TEST(HaproxyConfig, HttpPortIsAListenSectionNamedAfterItsConfig) {
    const auto c = config_for(port_of(7, 80, "http"));
    EXPECT_TRUE(c.problems.empty());
    const auto s = section_of(c.text, 7);
    ASSERT_FALSE(s.empty()) << c.text;
    EXPECT_EQ(s[0], "    bind 192.0.2.3:80");
    EXPECT_TRUE(has(s, "    mode http"));
    EXPECT_TRUE(has(s, "    option forwardfor"));
    EXPECT_TRUE(has(s, "    http-request set-header X-Forwarded-Proto http"));
    EXPECT_TRUE(has(s, "    balance roundrobin"));
    EXPECT_TRUE(has(s, "    server n12 10.0.0.5:80 weight 50"));
    EXPECT_TRUE(has(s, "    server n13 10.0.0.6:8080 weight 50"));
    // Defaults: no stickiness, no checks, no proxy protocol.
    EXPECT_FALSE(has_part(s, "stick"));
    EXPECT_FALSE(has_part(s, "cookie"));
    EXPECT_FALSE(has_part(s, "check"));
    EXPECT_FALSE(has_part(s, "send-proxy"));
}

TEST(HaproxyConfig, TcpPortPassesBytesOnly) {
    const auto s = section_of(config_for(port_of(7, 5432, "tcp")).text, 7);
    EXPECT_TRUE(has(s, "    bind 192.0.2.3:5432"));
    EXPECT_TRUE(has(s, "    mode tcp"));
    EXPECT_FALSE(has_part(s, "forwardfor"));
    EXPECT_FALSE(has_part(s, "X-Forwarded-Proto"));
}

TEST(HaproxyConfig, HttpsPortTerminatesTlsWithItsCertificate) {
    auto port = port_of(7, 443, "https");
    const auto s = section_of(config_for(port).text, 7);
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(s[0].rfind("    bind 192.0.2.3:443 ssl crt "
                         "\"/srv/linnet/haproxy/certificates/c7.pem\" alpn h2,http/1.1 "
                         "ssl-min-ver TLSv1.2 ciphers ECDHE-",
                         0),
              0u)
        << s[0];
    EXPECT_EQ(s[0].find("SECLEVEL"), std::string::npos);
    EXPECT_NE(s[0].find(" ciphersuites TLS_AES_128_GCM_SHA256:"), std::string::npos);
    EXPECT_TRUE(has(s, "    mode http"));
    EXPECT_TRUE(has(s, "    http-request set-header X-Forwarded-Proto https"));
    EXPECT_TRUE(has(s, "    server n12 10.0.0.5:80 weight 50"));  // plain HTTP to the nodes

    port.cipher_suite = "legacy";
    const auto legacy = section_of(config_for(port).text, 7);
    EXPECT_NE(legacy[0].find(" ssl-min-ver TLSv1.0 ciphers "), std::string::npos);
    EXPECT_NE(legacy[0].find(":DES-CBC3-SHA:@SECLEVEL=0"), std::string::npos);

    // Without a certificate file the port is not served.
    port.config_id = 8;
    const auto none = config_for(port);
    EXPECT_TRUE(section_of(none.text, 8).empty());
    ASSERT_EQ(none.problems.size(), 1u);
    EXPECT_EQ(none.problems[0], "NodeBalancer 3, config 8: no certificate file");
}

TEST(HaproxyConfig, PemIsCertificateThenKey) {
    Port p;
    p.ssl_cert = "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----";
    p.ssl_key = "-----BEGIN PRIVATE KEY-----\nB\n-----END PRIVATE KEY-----\n";
    EXPECT_EQ(pem(p),
              "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n"
              "-----BEGIN PRIVATE KEY-----\nB\n-----END PRIVATE KEY-----\n");
}

TEST(HaproxyConfig, AlgorithmIsBalance) {
    auto port = port_of(7, 80, "http");
    for (const auto& [algorithm, balance] :
         std::vector<std::pair<std::string, std::string>>{{"roundrobin", "roundrobin"},
                                                          {"leastconn", "leastconn"},
                                                          {"source", "source"},
                                                          {"random", "roundrobin"}}) {
        port.algorithm = algorithm;
        EXPECT_TRUE(has(section_of(config_for(port).text, 7), "    balance " + balance))
            << algorithm;
    }
}

TEST(HaproxyConfig, Stickiness) {
    auto port = port_of(7, 80, "http");
    port.stickiness = "table";
    auto s = section_of(config_for(port).text, 7);
    EXPECT_TRUE(has(s, "    stick-table type ipv6 size 100k expire 30m"));
    EXPECT_TRUE(has(s, "    stick on src"));
    EXPECT_FALSE(has_part(s, "cookie"));

    port.stickiness = "http_cookie";
    s = section_of(config_for(port).text, 7);
    EXPECT_TRUE(has(s, "    cookie NB_SRVID insert indirect nocache"));
    EXPECT_TRUE(has(s, "    server n12 10.0.0.5:80 weight 50 cookie n12"));
    EXPECT_FALSE(has_part(s, "stick"));

    // TCP has no cookies: the table keeps clients instead.
    port.protocol = "tcp";
    s = section_of(config_for(port).text, 7);
    EXPECT_TRUE(has(s, "    stick on src"));
    EXPECT_FALSE(has_part(s, "cookie"));
}

TEST(HaproxyConfig, ConnectionCheck) {
    auto port = port_of(7, 80, "tcp");
    port.check = "connection";
    port.check_interval = 5;
    port.check_timeout = 3;
    port.check_attempts = 4;
    const auto s = section_of(config_for(port).text, 7);
    EXPECT_TRUE(has(s, "    server n12 10.0.0.5:80 weight 50 check inter 5s fall 4 rise 2"));
    EXPECT_TRUE(has(s, "    timeout check 3s"));
    EXPECT_FALSE(has_part(s, "httpchk"));
    // Passive checks read HTTP answers: none on a tcp port.
    EXPECT_FALSE(has_part(s, "observe"));
}

TEST(HaproxyConfig, HttpChecks) {
    auto port = port_of(7, 80, "http");
    port.check = "http";
    port.check_path = "/healthz?full=1";
    port.check_body = "ignored";
    port.check_passive = false;
    auto s = section_of(config_for(port).text, 7);
    EXPECT_TRUE(has(s, "    option httpchk"));
    EXPECT_TRUE(has(s, "    http-check send meth GET uri \"/healthz?full=1\""));
    EXPECT_TRUE(has(s, "    http-check expect status 200-399"));
    EXPECT_FALSE(has_part(s, "expect string"));
    EXPECT_TRUE(has(s, "    server n12 10.0.0.5:80 weight 50 check inter 31s fall 3 rise 2"));

    port.check = "http_body";
    port.check_path = "";
    port.check_body = "ok";
    port.check_passive = true;
    s = section_of(config_for(port).text, 7);
    EXPECT_TRUE(has(s, "    http-check send meth GET uri \"/\""));
    EXPECT_TRUE(has(s, "    http-check expect status 200-399"));
    EXPECT_TRUE(has(s, "    http-check expect string \"ok\""));
    EXPECT_TRUE(has(s,
                    "    server n12 10.0.0.5:80 weight 50 check inter 31s fall 3 rise 2 "
                    "observe layer7 error-limit 3 on-error mark-down"));

    // No checks: no passive checks either.
    port.check = "none";
    s = section_of(config_for(port).text, 7);
    EXPECT_FALSE(has_part(s, "check"));
    EXPECT_FALSE(has_part(s, "observe"));
}

TEST(HaproxyConfig, ProxyProtocol) {
    auto port = port_of(7, 80, "tcp");
    port.proxy_protocol = "v1";
    EXPECT_TRUE(has(section_of(config_for(port).text, 7),
                    "    server n12 10.0.0.5:80 weight 50 send-proxy"));
    port.proxy_protocol = "v2";
    EXPECT_TRUE(has(section_of(config_for(port).text, 7),
                    "    server n12 10.0.0.5:80 weight 50 send-proxy-v2"));
}

TEST(HaproxyConfig, NodeModesAndWeights) {
    auto port = port_of(7, 80, "http");
    port.nodes = {node(1, "10.0.0.1:80", "accept", 255),    node(2, "10.0.0.2:80", "reject"),
                  node(3, "10.0.0.3:80", "drain"),          node(4, "10.0.0.4:80", "backup", 7),
                  node(5, "[2001:db8::5]:80", "accept", 0), node(6, "10.0.0.6:80", "accept", 999)};
    const auto s = section_of(config_for(port).text, 7);
    EXPECT_TRUE(has(s, "    server n1 10.0.0.1:80 weight 255"));
    EXPECT_TRUE(has(s, "    server n2 10.0.0.2:80 weight 50 disabled"));
    EXPECT_TRUE(has(s, "    server n3 10.0.0.3:80 weight 0"));
    EXPECT_TRUE(has(s, "    server n4 10.0.0.4:80 weight 7 backup"));
    EXPECT_TRUE(has(s, "    server n5 ipv6@2001:db8::5:80 weight 1"));
    EXPECT_TRUE(has(s, "    server n6 10.0.0.6:80 weight 256"));
}

TEST(HaproxyConfig, PortWithoutNodesStillListens) {
    auto port = port_of(7, 80, "http");
    port.nodes.clear();
    const auto s = section_of(config_for(port).text, 7);
    EXPECT_TRUE(has(s, "    bind 192.0.2.3:80"));
    EXPECT_FALSE(has_part(s, "server "));
}

TEST(HaproxyConfig, ClientConnectionThrottle) {
    auto tcp = port_of(8, 81, "tcp");
    tcp.nodes.clear();
    auto b = balancer_of({port_of(7, 80, "http"), tcp});
    b.client_conn_throttle = 5;
    const auto c = config({b}, kSettings);
    EXPECT_TRUE(c.problems.empty());
    EXPECT_NE(c.text.find("\nbackend nb3_throttle\n    stick-table type ipv6 size 100k expire 10s "
                          "store conn_rate(1s)\n"),
              std::string::npos);
    for (const auto id : {7, 8}) {
        const auto s = section_of(c.text, id);
        EXPECT_TRUE(has(s, "    tcp-request connection track-sc0 src table nb3_throttle"));
        EXPECT_TRUE(has(s, "    tcp-request connection reject if { sc0_conn_rate gt 5 }"));
    }
    b.client_conn_throttle = 0;
    const auto none = config({b}, kSettings);
    EXPECT_EQ(none.text.find("throttle"), std::string::npos);
    EXPECT_EQ(none.text.find("tcp-request"), std::string::npos);
}

firewalls::Rule rule(const std::string& action, const std::string& protocol,
                     std::vector<firewalls::PortRange> ports, std::vector<std::string> ipv4,
                     std::vector<std::string> ipv6 = {}) {
    firewalls::Rule r;
    r.action = action;
    r.protocol = protocol;
    r.port_ranges = std::move(ports);
    if (!ipv4.empty()) r.ipv4 = std::move(ipv4);
    if (!ipv6.empty()) r.ipv6 = std::move(ipv6);
    return r;
}

TEST(HaproxyConfig, FirewallRulesInOrderThenPolicy) {
    firewalls::Rules rules;
    rules.inbound_policy = "DROP";
    rules.inbound = std::vector<firewalls::Rule>{
        rule("DROP", "TCP", {}, {"198.51.100.7"}),
        rule("ACCEPT", "TCP", {{80, 80}, {443, 444}}, {"0.0.0.0/0", "10.0.0.0/8"}, {"::/0"}),
        rule("ACCEPT", "UDP", {}, {"0.0.0.0/0"}),          // not TCP: never applies
        rule("ACCEPT", "TCP", {{22, 22}}, {"0.0.0.0/0"}),  // another port
        rule("ACCEPT", "TCP", {}, {}),                     // no addresses: matches nothing
        rule("DROP", "TCP", {}, {}, {"2001:db8::/32"}),    // IPv6 only: no IPv4 client
    };
    auto tcp = port_of(8, 8080, "tcp");
    tcp.nodes = {node(14, "10.0.0.7:80")};
    auto b = balancer_of({port_of(7, 80, "http"), tcp});
    b.client_conn_throttle = 2;
    b.firewall = rules;
    const auto c = config({b}, kSettings);
    EXPECT_TRUE(c.problems.empty());
    const auto s = section_of(c.text, 7);
    const std::vector<std::string> expected = {
        "    tcp-request connection track-sc0 src table nb3_throttle",
        "    tcp-request connection reject if { sc0_conn_rate gt 2 }",
        "    tcp-request connection reject if { src 198.51.100.7 }",
        "    tcp-request connection accept if { src 0.0.0.0/0 10.0.0.0/8 }",
        "    tcp-request connection reject",
    };
    std::vector<std::string> rules_written;
    for (const auto& line : s)
        if (line.find("tcp-request") != std::string::npos) rules_written.push_back(line);
    EXPECT_EQ(rules_written, expected);
    // Port 8080 is not in the ACCEPT rule's ports: only the DROP rule, then the policy.
    const auto other = section_of(c.text, 8);
    EXPECT_TRUE(has(other, "    tcp-request connection reject if { src 198.51.100.7 }"));
    EXPECT_FALSE(has_part(other, "accept"));
    EXPECT_TRUE(has(other, "    tcp-request connection reject"));

    // An ACCEPT policy ends with no rule; an IPv6 NodeBalancer matches IPv6 networks only.
    rules.inbound_policy = "ACCEPT";
    b.firewall = rules;
    b.address = "2001:db8::3";
    b.client_conn_throttle = 0;
    const auto v6 = config({b}, kSettings);
    const auto s6 = section_of(v6.text, 7);
    EXPECT_EQ(s6[0], "    bind ipv6@2001:db8::3:80");
    rules_written.clear();
    for (const auto& line : s6)
        if (line.find("tcp-request") != std::string::npos) rules_written.push_back(line);
    EXPECT_EQ(rules_written, (std::vector<std::string>{
                                 "    tcp-request connection accept if { src ::/0 }",
                                 "    tcp-request connection reject if { src 2001:db8::/32 }"}));
}

TEST(HaproxyConfig, FirewallWithNoInboundListKeepsThePolicy) {
    firewalls::Rules rules;
    rules.inbound = std::nullopt;
    rules.inbound_policy = "DROP";
    auto b = balancer_of({port_of(7, 80, "http")});
    b.firewall = rules;
    const auto s = section_of(config({b}, kSettings).text, 7);
    EXPECT_TRUE(has(s, "    tcp-request connection reject"));
}

TEST(HaproxyConfig, FirewallNetworkThatIsNotOneLeavesThePortOut) {
    firewalls::Rules rules;
    rules.inbound =
        std::vector<firewalls::Rule>{rule("DROP", "TCP", {}, {"10.0.0.1 } || { always_true"})};
    auto b = balancer_of({port_of(7, 80, "http")});
    b.firewall = rules;
    const auto c = config({b}, kSettings);
    EXPECT_TRUE(section_of(c.text, 7).empty());
    ASSERT_EQ(c.problems.size(), 1u);
    EXPECT_NE(c.problems[0].find("is not a network"), std::string::npos);
    EXPECT_EQ(c.text.find("always_true"), std::string::npos);
}

TEST(HaproxyConfig, QuotedKeepsTextInOneWord) {
    EXPECT_EQ(config_word("ok"), "\"ok\"");
    EXPECT_EQ(config_word("a b"), "\"a b\"");
    EXPECT_EQ(config_word("say \"hi\""), "\"say \\\"hi\\\"\"");
    EXPECT_EQ(config_word("back\\slash"), "\"back\\\\slash\"");
    EXPECT_EQ(config_word("$HOME ${PATH}"), "\"\\$HOME \\${PATH}\"");
    EXPECT_EQ(config_word("# not a comment 'nor a quote'"), "\"# not a comment 'nor a quote'\"");
    EXPECT_EQ(config_word("line\nbreak\r\ttab\x7f"), "\"line\\x0abreak\\x0d\\x09tab\\x7f\"");
    EXPECT_EQ(config_word("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
    EXPECT_EQ(config_word(std::string_view("nul\0byte", 8)), std::nullopt);
}

TEST(HaproxyConfig, CheckUriIsPercentEncoded) {
    EXPECT_EQ(check_uri(""), "/");
    EXPECT_EQ(check_uri("healthz"), "/healthz");
    EXPECT_EQ(check_uri("/a/b?c=d&e=%41"), "/a/b?c=d&e=%41");
    EXPECT_EQ(check_uri("/a b\"c'd#e$f\\g\nh"), "/a%20b%22c%27d%23e%24f%5Cg%0Ah");
    EXPECT_EQ(check_uri(std::string_view("/\0", 2)), "/%00");
}

TEST(HaproxyConfig, UsersTextCannotInjectConfiguration) {
    auto port = port_of(7, 80, "http");
    port.check = "http_body";
    port.check_path = "/x HTTP/1.0\r\n\nlisten evil_path\n    bind 0.0.0.0:1";
    port.check_body = "x\"\nlisten evil_body\n    bind 0.0.0.0:2\n# $HOME\\";
    const auto c = config_for(port);
    EXPECT_TRUE(c.problems.empty());
    EXPECT_EQ(c.text.find("\nlisten evil"), std::string::npos);
    EXPECT_EQ(c.text.find("\n    bind 0.0.0.0"), std::string::npos);
    const auto s = section_of(c.text, 7);
    EXPECT_TRUE(has(s,
                    "    http-check send meth GET uri "
                    "\"/x%20HTTP/1.0%0D%0A%0Alisten%20evil_path%0A%20%20%20%20bind%200.0.0.0:1\""));
    EXPECT_TRUE(has(s,
                    "    http-check expect string \"x\\\"\\x0alisten evil_body\\x0a    bind "
                    "0.0.0.0:2\\x0a# \\$HOME\\\\\""));
    // Exactly one section, whose servers still follow.
    EXPECT_TRUE(has_part(s, "server n12"));

    // A NUL cannot be written: the port is left out rather than checked for less.
    port.check_body = std::string("a\0b", 3);
    const auto nul = config_for(port);
    EXPECT_TRUE(section_of(nul.text, 7).empty());
    ASSERT_EQ(nul.problems.size(), 1u);
    EXPECT_EQ(nul.problems[0], "NodeBalancer 3, config 7: the check body holds a NUL byte");
}

TEST(HaproxyConfig, InputThatCannotBeServedIsLeftOutWithAReason) {
    auto b = balancer_of({port_of(7, 80, "http")});
    b.address = "192.0.2.3:80\n    bind 0.0.0.0";
    auto c = config({b}, kSettings);
    EXPECT_EQ(c.text.find("listen "), std::string::npos);
    ASSERT_EQ(c.problems.size(), 1u);
    EXPECT_EQ(c.problems[0].rfind("NodeBalancer 3: the address ", 0), 0u);
    EXPECT_EQ(c.text.find("0.0.0.0"), std::string::npos);

    auto bad_nodes = port_of(7, 80, "http");
    bad_nodes.nodes = {node(1, "10.0.0.1"),        node(2, "10.0.0.2:0"),
                       node(3, "host.example:80"), node(4, "10.0.0.4:80 backup"),
                       node(5, "[10.0.0.5]:80"),   node(6, "10.0.0.6:80"),
                       node(6, "10.0.0.7:80")};
    c = config_for(bad_nodes);
    auto s = section_of(c.text, 7);
    EXPECT_TRUE(has(s, "    server n6 10.0.0.6:80 weight 50"));
    EXPECT_EQ(std::count_if(s.begin(), s.end(),
                            [](const auto& l) { return l.find("server ") != std::string::npos; }),
              1);
    EXPECT_EQ(c.problems.size(), 6u);
    EXPECT_EQ(c.problems.back(), "NodeBalancer 3, config 7: node 6: given twice");

    auto tcp = port_of(8, 80, "tcp");  // the same address and port as config 7
    auto zero = port_of(9, 0, "http");
    auto udp = port_of(10, 81, "udp");
    auto again = port_of(7, 82, "http");  // config 7 given twice
    c = config({balancer_of({port_of(7, 80, "http"), tcp, zero, udp, again})}, kSettings);
    EXPECT_FALSE(section_of(c.text, 7).empty());
    EXPECT_TRUE(section_of(c.text, 8).empty());
    EXPECT_TRUE(section_of(c.text, 9).empty());
    EXPECT_TRUE(section_of(c.text, 10).empty());
    EXPECT_EQ(c.text.find(":82"), std::string::npos);
    EXPECT_EQ(c.problems,
              (std::vector<std::string>{
                  "NodeBalancer 3, config 8: another port listens on 192.0.2.3:80",
                  "NodeBalancer 3, config 9: the port 0 is not one",
                  "NodeBalancer 3, config 10: the protocol \"udp\" is not tcp, http or https",
                  "NodeBalancer 3, config 7: given twice"}));
}

TEST(HaproxyConfig, NamesMapBack) {
    EXPECT_EQ(proxy_name(3, 7), "nb3_c7");
    EXPECT_EQ(server_name(12), "n12");
    EXPECT_EQ(config_of("nb3_c7"), 7);
    EXPECT_EQ(config_of("nb31_c700"), 700);
    EXPECT_EQ(config_of("nb3_throttle"), std::nullopt);
    EXPECT_EQ(config_of("nb3_c"), std::nullopt);
    EXPECT_EQ(config_of("nbx_c7"), std::nullopt);
    EXPECT_EQ(config_of("nb3_c7x"), std::nullopt);
    EXPECT_EQ(config_of("GLOBAL"), std::nullopt);
    EXPECT_EQ(node_of("n12"), 12);
    EXPECT_EQ(node_of("n"), std::nullopt);
    EXPECT_EQ(node_of("FRONTEND"), std::nullopt);
    EXPECT_EQ(node_of("n12 "), std::nullopt);
}

// HAProxy itself reads a configuration with every feature and hostile check text as valid.
TEST(HaproxyConfig, HaproxyAcceptsEveryFeature) {
    if (!fs::exists("/usr/sbin/haproxy")) GTEST_SKIP() << "no HAProxy at /usr/sbin/haproxy";
    char pattern[] = "/tmp/linnet-hapcfg-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    const fs::path folder = pattern;
    const auto made =
        run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", (folder / "key.pem").string(), "-out",
             (folder / "cert.pem").string(), "-days", "1", "-subj", "/CN=linnet-test"});
    ASSERT_EQ(made.status, 0) << made.output;
    Port https = port_of(9, 443, "https");
    https.nodes = {node(90, "10.0.0.90:80")};
    https.ssl_cert = run_checked({"cat", (folder / "cert.pem").string()});
    https.ssl_key = run_checked({"cat", (folder / "key.pem").string()});
    https.cipher_suite = "legacy";
    https.stickiness = "http_cookie";
    std::ofstream(folder / "c9.pem") << pem(https);

    std::vector<Port> ports;
    for (const auto& protocol : {"tcp", "http"}) {
        for (const auto& check : {"none", "connection", "http", "http_body"}) {
            Port p = port_of(static_cast<std::int64_t>(ports.size()) + 20,
                             static_cast<int>(ports.size()) + 8000, protocol);
            for (auto& n : p.nodes) n.node_id += 100 * static_cast<std::int64_t>(ports.size());
            p.check = check;
            p.check_path = "/a b\"c'#$HOME\n";
            p.check_body = "x\"\nlisten evil\n    bind 0.0.0.0:2\n# ${HOME} \\ 'q'";
            p.stickiness = ports.size() % 2 ? "table" : "http_cookie";
            p.algorithm = ports.size() % 3 ? "leastconn" : "source";
            p.proxy_protocol = ports.size() % 2 ? "v2" : "v1";
            p.nodes.push_back(
                node(1000 + static_cast<std::int64_t>(ports.size()), "[2001:db8::9]:80", "backup"));
            p.nodes.push_back(
                node(2000 + static_cast<std::int64_t>(ports.size()), "10.0.0.9:80", "reject"));
            p.nodes.push_back(
                node(3000 + static_cast<std::int64_t>(ports.size()), "10.0.0.10:80", "drain"));
            ports.push_back(p);
        }
    }
    ports.push_back(https);
    auto b = balancer_of(ports);
    b.client_conn_throttle = 10;
    firewalls::Rules rules;
    rules.inbound_policy = "DROP";
    rules.inbound =
        std::vector<firewalls::Rule>{rule("ACCEPT", "TCP", {{8000, 8003}}, {"0.0.0.0/0"}, {"::/0"}),
                                     rule("DROP", "TCP", {}, {"10.0.0.0/8", "192.0.2.1"})};
    b.firewall = rules;
    Balancer empty;
    empty.id = 4;
    empty.address = "2001:db8::4";
    empty.ports = {port_of(50, 80, "http")};
    empty.ports[0].nodes.clear();
    const auto c = config({b, empty}, {folder, {{9, folder / "c9.pem"}}});
    EXPECT_TRUE(c.problems.empty()) << c.problems.front();
    std::ofstream(folder / "haproxy.cfg") << c.text;
    const auto checked = run({"/usr/sbin/haproxy", "-c", "-f", (folder / "haproxy.cfg").string()});
    EXPECT_EQ(checked.status, 0) << checked.output << "\n" << c.text;
    fs::remove_all(folder);
}

}  // namespace
}  // namespace linnet::compute::haproxy
