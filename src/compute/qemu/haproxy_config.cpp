// NodeBalancer ports written as HAProxy 2.6 sections: what each API field becomes, and the
// escaping that keeps text from API users inside the one word it belongs to.
#include "compute/qemu/haproxy_config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <utility>

namespace linnet::compute::haproxy {

namespace {

using nodebalancers::Backend;
using nodebalancers::Balancer;
using nodebalancers::Port;

// cipher_suite "recommended": TLS 1.2 and later with forward-secret AEAD ciphers only (Mozilla's
// "intermediate" profile).
constexpr const char* kRecommendedTls =
    "ssl-min-ver TLSv1.2 ciphers "
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305 "
    "ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
// cipher_suite "legacy": down to TLS 1.0 and CBC, SHA-1 and 3DES ciphers for old clients
// (Mozilla's "old" profile); OpenSSL 3 only offers those at security level 0.
constexpr const char* kLegacyTls =
    "ssl-min-ver TLSv1.0 ciphers "
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:"
    "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:"
    "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:"
    "DES-CBC3-SHA:@SECLEVEL=0";

// stickiness "http_cookie": the cookie that names the node a client stays with.
constexpr const char* kCookie = "NB_SRVID";

bool is_ipv4(const std::string& text) {
    in_addr a{};
    return inet_pton(AF_INET, text.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& text) {
    in6_addr a{};
    return inet_pton(AF_INET6, text.c_str(), &a) == 1;
}

std::optional<int> number(std::string_view text, int low, int high) {
    int n = 0;
    const char* end = text.data() + text.size();
    const auto [at, ec] = std::from_chars(text.data(), end, n);
    if (text.empty() || ec != std::errc{} || at != end || n < low || n > high) return std::nullopt;
    return n;
}

std::optional<std::int64_t> id_after(std::string_view text, std::string_view prefix) {
    if (text.substr(0, prefix.size()) != prefix || text.size() == prefix.size())
        return std::nullopt;
    text.remove_prefix(prefix.size());
    std::int64_t n = 0;
    const char* end = text.data() + text.size();
    const auto [at, ec] = std::from_chars(text.data(), end, n);
    if (ec != std::errc{} || at != end) return std::nullopt;
    return n;
}

// The NodeBalancer's address and a port as a bind address; nothing unless it is an IP address.
std::optional<std::string> bind_address(const std::string& address, int port) {
    if (port < 1 || port > 65535) return std::nullopt;
    if (is_ipv4(address)) return address + ":" + std::to_string(port);
    if (is_ipv6(address)) return "ipv6@" + address + ":" + std::to_string(port);
    return std::nullopt;
}

// A node's "192.0.2.5:80" or "[2001:db8::5]:80" as a server address; nothing when it is not one.
std::optional<std::string> server_address(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    const auto port = number(std::string_view(text).substr(colon + 1), 1, 65535);
    std::string host = text.substr(0, colon);
    if (!port) return std::nullopt;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
        if (is_ipv6(host)) return "ipv6@" + host + ":" + std::to_string(*port);
        return std::nullopt;
    }
    if (is_ipv4(host)) return host + ":" + std::to_string(*port);
    return std::nullopt;
}

// A firewall rule's "192.0.2.0/24" (or a plain address); nothing when it is not one of `v6`'s.
bool is_network(const std::string& text, bool v6) {
    const auto slash = text.find('/');
    const std::string address = text.substr(0, slash);
    if (!(v6 ? is_ipv6(address) : is_ipv4(address))) return false;
    return slash == std::string::npos ||
           number(std::string_view(text).substr(slash + 1), 0, v6 ? 128 : 32).has_value();
}

// The table of a NodeBalancer's clients' connection rates.
std::string throttle_name(std::int64_t balancer_id) {
    return "nb" + std::to_string(balancer_id) + "_throttle";
}

// A path or other text for the configuration; one that cannot be written (a NUL) is empty.
std::string word(std::string_view text) {
    return config_word(text).value_or("\"\"");
}

// The port's Cloud Firewall as connection rules: its inbound TCP rules that include the port, in
// order (the first whose sources match decides), then its inbound policy. The listener is of one
// address family, so only the rules' networks of that family can match its clients; HAProxy
// itself would match an IPv4 client against "::/0" (as ::ffff:a.b.c.d). False, with `why`, when
// a network is not one: the port is not served rather than served open.
bool add_firewall(const firewalls::Rules& rules, int port, bool v6, std::string& s,
                  std::string& why) {
    if (rules.inbound) {
        for (const auto& rule : *rules.inbound) {
            if (rule.protocol != "TCP") continue;
            const bool covers =
                rule.port_ranges.empty() ||
                std::any_of(rule.port_ranges.begin(), rule.port_ranges.end(),
                            [&](const auto& r) { return r.first <= port && port <= r.last; });
            if (!covers) continue;
            const auto& networks = v6 ? rule.ipv6 : rule.ipv4;
            if (!networks || networks->empty()) continue;  // it names none of the clients
            std::string list;
            for (const auto& network : *networks) {
                if (!is_network(network, v6)) {
                    why = "the firewall's address " + word(network) + " is not a network";
                    return false;
                }
                list += " " + network;
            }
            s += "    tcp-request connection " +
                 std::string(rule.action == "ACCEPT" ? "accept" : "reject") + " if { src" + list +
                 " }\n";
        }
    }
    if (rules.inbound_policy != "ACCEPT") s += "    tcp-request connection reject\n";
    return true;
}

// A `listen` section for one port, or nothing, with `why`, when it cannot be served; the nodes
// it leaves out are added to `problems`.
std::optional<std::string> section(const Balancer& b, const Port& port, const Settings& settings,
                                   std::set<std::int64_t>& nodes_seen, std::string& why,
                                   std::vector<std::string>& problems) {
    const auto bind = bind_address(b.address, port.port);
    if (!bind) {
        why = "the port " + std::to_string(port.port) + " is not one";
        return std::nullopt;
    }
    const bool https = port.protocol == "https";
    const bool http = port.protocol == "http" || https;
    if (!http && port.protocol != "tcp") {
        why = "the protocol " + word(port.protocol) + " is not tcp, http or https";
        return std::nullopt;
    }
    std::string s = "listen " + proxy_name(b.id, port.config_id) + "\n";
    s += "    bind " + *bind;
    if (https) {
        const auto pem_file = settings.certificates.find(port.config_id);
        if (pem_file == settings.certificates.end()) {
            why = "no certificate file";
            return std::nullopt;
        }
        s += " ssl crt " + word(pem_file->second.string()) + " alpn h2,http/1.1 " +
             (port.cipher_suite == "legacy" ? kLegacyTls : kRecommendedTls);
    }
    s += "\n";
    s += std::string("    mode ") + (http ? "http" : "tcp") + "\n";

    // Connection rules: the throttle first (it counts each client's connections alone, so the
    // connections of a client the firewall drops change nothing for the others), then the
    // firewall, whose accept ends the rules.
    if (b.client_conn_throttle > 0) {
        s += "    tcp-request connection track-sc0 src table " + throttle_name(b.id) + "\n";
        s += "    tcp-request connection reject if { sc0_conn_rate gt " +
             std::to_string(b.client_conn_throttle) + " }\n";
    }
    if (b.firewall && !add_firewall(*b.firewall, port.port, is_ipv6(b.address), s, why))
        return std::nullopt;

    if (http) {
        s += "    option forwardfor\n";
        s += std::string("    http-request set-header X-Forwarded-Proto ") +
             (https ? "https" : "http") + "\n";
    }

    const std::string& algorithm = port.algorithm;
    s += "    balance " +
         std::string(algorithm == "leastconn" || algorithm == "source" ? algorithm : "roundrobin") +
         "\n";
    // HTTP cookies need HTTP: a tcp port keeps its clients with the table instead.
    const bool cookie = port.stickiness == "http_cookie" && http;
    if (cookie) {
        s += std::string("    cookie ") + kCookie + " insert indirect nocache\n";
    } else if (port.stickiness == "table" || port.stickiness == "http_cookie") {
        s += "    stick-table type ipv6 size 100k expire 30m\n";
        s += "    stick on src\n";
    }

    const bool checked =
        port.check == "connection" || port.check == "http" || port.check == "http_body";
    const int attempts = std::clamp(port.check_attempts, 1, 30);
    if (port.check == "http" || port.check == "http_body") {
        s += "    option httpchk\n";
        s += "    http-check send meth GET uri " + word(check_uri(port.check_path)) + "\n";
        s += "    http-check expect status 200-399\n";
        if (port.check == "http_body" && !port.check_body.empty()) {
            const auto body = config_word(port.check_body);
            if (!body) {
                why = "the check body holds a NUL byte";
                return std::nullopt;
            }
            s += "    http-check expect string " + *body + "\n";
        }
    }
    if (checked)
        s += "    timeout check " + std::to_string(std::clamp(port.check_timeout, 1, 3600)) + "s\n";

    for (const Backend& node : port.nodes) {
        // A node left out is one the balancer knows nothing of ("unknown").
        const std::string which = "node " + std::to_string(node.node_id) + ": ";
        const auto address = server_address(node.address);
        if (!address) {
            problems.push_back(which + "the address " + word(node.address) + " is not one");
            continue;
        }
        if (!nodes_seen.insert(node.node_id).second) {
            problems.push_back(which + "given twice");
            continue;
        }
        s += "    server " + server_name(node.node_id) + " " + *address;
        // Drain: no new clients, but those that stick to the node still reach it.
        s +=
            " weight " + std::to_string(node.mode == "drain" ? 0 : std::clamp(node.weight, 1, 256));
        if (checked) {
            s += " check inter " + std::to_string(std::clamp(port.check_interval, 1, 3600)) +
                 "s fall " + std::to_string(attempts) + " rise 2";
            // Passive checks: answers of 5xx count against the node like failed checks.
            if (port.check_passive && http)
                s += " observe layer7 error-limit " + std::to_string(attempts) +
                     " on-error mark-down";
        }
        if (port.proxy_protocol == "v1") s += " send-proxy";
        if (port.proxy_protocol == "v2") s += " send-proxy-v2";
        if (cookie) s += " cookie " + server_name(node.node_id);
        if (node.mode == "backup") s += " backup";
        if (node.mode == "reject") s += " disabled";
        s += "\n";
    }
    return s;
}

}  // namespace

std::filesystem::path admin_socket(const std::filesystem::path& folder) {
    return folder / "admin.sock";
}

std::string pem(const Port& port) {
    std::string out = port.ssl_cert;
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += port.ssl_key;
    if (!out.empty() && out.back() != '\n') out += '\n';
    return out;
}

std::string proxy_name(std::int64_t balancer_id, std::int64_t config_id) {
    return "nb" + std::to_string(balancer_id) + "_c" + std::to_string(config_id);
}

std::string server_name(std::int64_t node_id) {
    return "n" + std::to_string(node_id);
}

std::optional<std::int64_t> config_of(std::string_view proxy) {
    const auto c = proxy.rfind("_c");
    if (c == std::string_view::npos || !id_after(proxy.substr(0, c), "nb")) return std::nullopt;
    return id_after(proxy.substr(c), "_c");
}

std::optional<std::int64_t> node_of(std::string_view server) {
    return id_after(server, "n");
}

std::optional<std::string> config_word(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == 0) return std::nullopt;
        if (c == '"' || c == '\\' || c == '$') {
            // A quote would end the word, a backslash start an escape, a dollar sign an
            // environment variable.
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c == 0x7f) {
            // A line feed or carriage return would end the line: control bytes as \xHH.
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string check_uri(std::string_view path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    static constexpr std::string_view kPlain = "-._~/?&=%:@!*()+,;";
    std::string out = path.substr(0, 1) == "/" ? "" : "/";
    for (const char ch : path) {
        const auto c = static_cast<unsigned char>(ch);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || kPlain.find(ch) != std::string_view::npos;
        if (plain) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

Config config(const std::vector<Balancer>& balancers, const Settings& settings) {
    Config out;
    std::string& s = out.text;
    s += "# The NodeBalancers this host serves, written by Linnet whole at every change.\n";
    s += "global\n";
    // expose-fd: a reloaded HAProxy takes over the listening sockets, refusing nobody.
    s += "    stats socket " + word(admin_socket(settings.folder).string()) +
         " mode 600 level admin expose-fd listeners\n";
    s += "    stats timeout 30s\n";
    // After a reload the old process serves its connections to their end, but not for ever.
    s += "    hard-stop-after 30m\n";
    s += "    tune.ssl.default-dh-param 2048\n";
    s += "\n";
    s += "defaults\n";
    s += "    mode tcp\n";
    s += "    maxconn 10000\n";
    s += "    timeout connect 5s\n";
    s += "    timeout client 50s\n";
    s += "    timeout server 50s\n";
    s += "    timeout tunnel 1h\n";
    s += "    timeout client-fin 30s\n";
    s += "    timeout http-request 10s\n";
    s += "    timeout http-keep-alive 10s\n";
    s += "    timeout queue 30s\n";
    // A connection a dead node refused before its checks noticed goes to another node.
    s += "    retries 3\n";
    s += "    option redispatch\n";

    std::set<std::int64_t> balancers_seen, configs_seen, nodes_seen;
    std::set<std::string> binds_seen;
    for (const Balancer& b : balancers) {
        const std::string who = "NodeBalancer " + std::to_string(b.id);
        if (!balancers_seen.insert(b.id).second) {
            out.problems.push_back(who + ": given twice");
            continue;
        }
        if (!is_ipv4(b.address) && !is_ipv6(b.address)) {
            out.problems.push_back(who + ": the address " + word(b.address) + " is not one");
            continue;
        }
        if (b.client_conn_throttle > 0 && !b.ports.empty()) {
            // Each client's new connections per second, counted across the NodeBalancer's ports.
            s += "\nbackend " + throttle_name(b.id) + "\n";
            s += "    stick-table type ipv6 size 100k expire 10s store conn_rate(1s)\n";
        }
        for (const Port& port : b.ports) {
            const std::string where = who + ", config " + std::to_string(port.config_id) + ": ";
            if (!configs_seen.insert(port.config_id).second) {
                out.problems.push_back(where + "given twice");
                continue;
            }
            // Two sections on one address would share it (HAProxy binds with SO_REUSEPORT).
            const auto bind = bind_address(b.address, port.port);
            if (bind && !binds_seen.insert(*bind).second) {
                out.problems.push_back(where + "another port listens on " + *bind);
                continue;
            }
            std::string why;
            std::vector<std::string> left_out;
            auto text = section(b, port, settings, nodes_seen, why, left_out);
            for (const auto& node : left_out) out.problems.push_back(where + node);
            if (!text) {
                out.problems.push_back(where + why);
                continue;
            }
            s += "\n" + *text;
        }
    }
    return out;
}

}  // namespace linnet::compute::haproxy
