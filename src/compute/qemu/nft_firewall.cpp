// Cloud Firewall rules written as nftables statements.
#include "compute/qemu/nft_firewall.hpp"

#include "compute/qemu/private_networks.hpp"

namespace linnet::compute::nft_firewall {

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return "{ " + out + " }";
}

std::string ports_of(const firewalls::Rule& rule) {
    std::vector<std::string> ports;
    for (const auto& r : rule.port_ranges)
        ports.push_back(r.first == r.last ? std::to_string(r.first)
                                          : std::to_string(r.first) + "-" + std::to_string(r.last));
    return joined(ports);
}

// The protocol part of a rule for one address family (4 or 6).
std::string protocol_of(const firewalls::Rule& rule, int family) {
    if (rule.protocol == "TCP" || rule.protocol == "UDP") {
        std::string s = rule.protocol == "TCP" ? "meta l4proto tcp" : "meta l4proto udp";
        if (!rule.port_ranges.empty()) s += " th dport " + ports_of(rule);
        return s;
    }
    if (rule.protocol == "ICMP")
        return family == 4 ? "meta l4proto icmp" : "meta l4proto ipv6-icmp";
    return "meta l4proto 4";  // IPENCAP: IP in IP
}

std::string chain_of(std::int64_t linode_id, const char* direction) {
    return "linode_" + std::to_string(linode_id) + "_" + direction;
}

}  // namespace

Layout loopback(const std::string& table) {
    return {"inet",
            table,
            {{"input", true, false}, {"output", false, true}},
            {"ip daddr " + std::string(private_networks::kGroups) + " accept"}};
}

Layout bridge(const std::string& table) {
    return {
        "inet", table, {{"forward", true, true}, {"output", true, false}, {"input", false, true}}};
}

std::vector<std::string> statements(const firewalls::Rule& rule, const std::string& direction) {
    // An accepted packet goes back to the hook chain, where another Linode's chain may still
    // judge it (a packet from one guest to another on bridge networking); the hook accepts
    // what no chain dropped.
    const std::string verdict = rule.action == "ACCEPT" ? "return" : "drop";
    const std::string side = direction == "in" ? "saddr" : "daddr";
    std::vector<std::string> out;
    if (rule.ipv4)
        out.push_back("ip " + side + " " + joined(*rule.ipv4) + " " + protocol_of(rule, 4) + " " +
                      verdict);
    if (rule.ipv6)
        out.push_back("ip6 " + side + " " + joined(*rule.ipv6) + " " + protocol_of(rule, 6) + " " +
                      verdict);
    return out;
}

std::string ruleset(const Layout& layout, const std::map<std::int64_t, Guarded>& linodes) {
    const std::string t = layout.family + " " + layout.table;
    // Made, then removed and made again: the script replaces the whole table in one transaction.
    std::string s = "add table " + t + "\ndelete table " + t + "\nadd table " + t + "\n";
    for (const auto& hook : layout.hooks) {
        s += "add chain " + t + " " + hook.chain + " { type filter hook " + hook.chain +
             " priority 0; policy accept; }\n";
        for (const auto& rule : layout.exempt)
            s += "add rule " + t + " " + hook.chain + " " + rule + "\n";
    }
    for (const auto& [id, guarded] : linodes) {
        const auto& rules = guarded.rules;
        for (const char* direction : {"in", "out"}) {
            const bool in = direction[0] == 'i';
            const std::string chain = chain_of(id, direction);
            s += "add chain " + t + " " + chain + "\n";
            s += "add rule " + t + " " + chain + " ct state established,related return\n";
            s += "add rule " + t + " " + chain + " ct state invalid drop\n";
            const auto& list = in ? rules.inbound : rules.outbound;
            if (list)
                for (const auto& rule : *list)
                    for (const auto& statement : statements(rule, direction))
                        s += "add rule " + t + " " + chain + " " + statement + "\n";
            const std::string& policy = in ? rules.inbound_policy : rules.outbound_policy;
            s += "add rule " + t + " " + chain + " " + (policy == "ACCEPT" ? "return" : "drop") +
                 "\n";
            for (const auto& hook : layout.hooks)
                if (in ? hook.inbound : hook.outbound)
                    s += "add rule " + t + " " + hook.chain + " " +
                         (in ? guarded.inbound : guarded.outbound) + " jump " + chain + "\n";
        }
    }
    return s;
}

}  // namespace linnet::compute::nft_firewall
