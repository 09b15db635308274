// knot.conf written whole: every path and name between double quotes, and only what cannot
// break out of them (knot.conf has no escapes inside quotes).
#include "domains/knot_config.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <charconv>

namespace linnet::domains::knot_config {

namespace {

bool port_number(const std::string& text) {
    if (text.empty() || text.size() > 5 || text[0] == '0') return false;
    int port = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
    return error == std::errc() && end == text.data() + text.size() && port >= 1 && port <= 65535;
}

std::string quoted(const std::string& value) {
    return "\"" + value + "\"";
}

}  // namespace

std::optional<std::string> listen_address(const std::string& listen) {
    std::string host, port;
    if (!listen.empty() && listen[0] == '[') {
        const auto close = listen.find("]:");
        if (close == std::string::npos) return std::nullopt;
        host = listen.substr(1, close - 1);
        port = listen.substr(close + 2);
        in6_addr v6{};
        if (inet_pton(AF_INET6, host.c_str(), &v6) != 1) return std::nullopt;
    } else {
        const auto colon = listen.find(':');
        if (colon == std::string::npos) return std::nullopt;
        host = listen.substr(0, colon);
        port = listen.substr(colon + 1);
        in_addr v4{};
        if (inet_pton(AF_INET, host.c_str(), &v4) != 1) return std::nullopt;
    }
    if (!port_number(port)) return std::nullopt;
    return host + "@" + port;
}

bool zone_name(const std::string& name) {
    if (name.empty() || name.size() > 253) return false;
    std::size_t label = 0;
    for (const char c : name) {
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
            continue;
        }
        const bool allowed =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!allowed || ++label > 63) return false;
    }
    return label > 0;
}

std::string folder_problem(const Folder& folder) {
    const std::string root = folder.root.string();
    for (const char c : root)
        if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return "the DNS folder " + root +
                   " cannot be named in knot.conf (quotes, backslashes or control characters)";
    if (folder.socket().string().size() >= sizeof(sockaddr_un::sun_path))
        return "the DNS folder " + root + " is too long a path for knotd's control socket " +
               folder.socket().string();
    return "";
}

bool ip_address(const std::string& address) {
    in_addr v4{};
    in6_addr v6{};
    return inet_pton(AF_INET, address.c_str(), &v4) == 1 ||
           inet_pton(AF_INET6, address.c_str(), &v6) == 1;
}

std::string text(const Folder& folder, const std::string& address,
                 const std::map<std::string, std::vector<std::string>>& zones) {
    std::string s;
    const auto line = [&s](const std::string& text) { s += text + "\n"; };
    line("# Written by linnetd: the Knot DNS server of Linnet's Domains. Rewritten whole when the");
    line("# set of zones changes; edits are lost.");
    // knotd runs as the user that starts it: root needs no `user:`, nor does anyone else.
    line("server:");
    line("    rundir: " + quoted(folder.root.string()));
    line("    pidfile: " + quoted(folder.pid_file().string()));
    line("    listen: " + quoted(address));
    line("    identity: \"\"");
    line("    version: \"\"");
    line("control:");
    line("    listen: " + quoted(folder.socket().string()));
    line("log:");
    line("  - target: " + quoted(folder.log().string()));
    line("    any: notice");
    line("database:");
    line("    storage: " + quoted(folder.storage().string()));
    // Knot keeps no state of its own: the zone files are linnetd's, loaded whole and never
    // written back; no journal, no DNSSEC; an ACL only for the transfers a Domain allows
    // (axfr_ips), never dynamic updates; no remotes, so no notifies.
    line("template:");
    line("  - id: default");
    line("    storage: " + quoted(folder.zones().string()));
    line("    file: \"%s.zone\"");
    line("    zonefile-sync: -1");
    line("    zonefile-load: whole");
    line("    journal-content: none");
    if (zones.empty()) return s;
    // An ACL per zone that allows transfers: the addresses it names may transfer it.
    int acl = 0;
    std::map<std::string, std::string> acl_of;
    for (const auto& [zone, to] : zones) {
        std::string list;
        for (const auto& a : to)
            if (ip_address(a)) list += (list.empty() ? "" : ", ") + quoted(a);
        if (list.empty()) continue;
        if (acl == 0) line("acl:");
        const std::string id = "transfer-" + std::to_string(++acl);
        line("  - id: " + quoted(id));
        line("    address: [" + list + "]");
        line("    action: transfer");
        acl_of[zone] = id;
    }
    line("zone:");
    for (const auto& [zone, to] : zones) {
        line("  - domain: " + quoted(zone + "."));
        if (const auto it = acl_of.find(zone); it != acl_of.end()) {
            const std::string& id = it->second;
            line("    acl: " + quoted(id));
        }
    }
    return s;
}

}  // namespace linnet::domains::knot_config
