// Reading, checking, showing and fingerprinting a firewall's rules.
#include "firewalls/rules.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/json.hpp"

namespace linnet::firewalls {

namespace json = boost::json;

namespace {

bool is_policy(const json::value& v) {
    return v.is_string() && (v.as_string() == "ACCEPT" || v.as_string() == "DROP");
}

// ADDRESS/PREFIX of the family (AF_INET or AF_INET6); no zone, prefix within the family's bits.
bool valid_network(const std::string& text, int family) {
    const auto slash = text.find('/');
    if (slash == std::string::npos || text.find('%') != std::string::npos) return false;
    const std::string address = text.substr(0, slash);
    const std::string prefix = text.substr(slash + 1);
    unsigned char buffer[16];
    if (inet_pton(family, address.c_str(), buffer) != 1) return false;
    int bits = -1;
    const auto [end, ec] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), bits);
    if (ec != std::errc{} || end != prefix.data() + prefix.size() || prefix.empty()) return false;
    if (prefix.size() > 1 && prefix.front() == '0') return false;
    return bits >= 0 && bits <= (family == AF_INET ? 32 : 128);
}

std::optional<std::vector<std::string>> read_addresses(const json::object& addresses,
                                                       const char* family_name, int family,
                                                       const std::string& field,
                                                       std::vector<ErrorDetail>& problems) {
    const auto* list = addresses.if_contains(family_name);
    if (!list || list->is_null()) return std::nullopt;
    const std::string where = field + "." + family_name;
    if (!list->is_array() || list->as_array().empty()) {
        problems.push_back({std::string(family_name) + " must be a list of one or more networks in "
                                                       "IP/mask form",
                            where});
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : list->as_array()) {
        if (!item.is_string() || !valid_network(std::string(item.as_string()), family)) {
            problems.push_back({"Invalid " + std::string(family == AF_INET ? "IPv4" : "IPv6") +
                                    " network (IP/mask, e.g. " +
                                    (family == AF_INET ? "192.0.2.0/24" : "2001:db8::/32") + ")",
                                where});
            return std::nullopt;
        }
        out.emplace_back(item.as_string());
    }
    return out;
}

Rule read_rule(const json::value& value, const std::string& field,
               std::vector<ErrorDetail>& problems) {
    Rule rule;
    const auto* o = value.if_object();
    if (!o) {
        problems.push_back({"A rule must be an object", field});
        return rule;
    }
    const auto* action = o->if_contains("action");
    if (!action || !is_policy(*action))
        problems.push_back({"action must be ACCEPT or DROP", field + ".action"});
    else
        rule.action = action->as_string();
    const auto* protocol = o->if_contains("protocol");
    static const std::vector<std::string> protocols = {"TCP", "UDP", "ICMP", "IPENCAP"};
    if (!protocol || !protocol->is_string() ||
        std::find(protocols.begin(), protocols.end(), protocol->as_string()) == protocols.end())
        problems.push_back({"protocol must be TCP, UDP, ICMP or IPENCAP", field + ".protocol"});
    else
        rule.protocol = protocol->as_string();
    if (const auto* ports = o->if_contains("ports"); ports && !ports->is_null()) {
        if (!ports->is_string()) {
            problems.push_back({"ports must be a string", field + ".ports"});
        } else if (rule.protocol == "ICMP" || rule.protocol == "IPENCAP") {
            problems.push_back(
                {"Ports are not allowed for the ICMP and IPENCAP protocols", field + ".ports"});
        } else if (auto problem = read_ports(std::string(ports->as_string()), rule.port_ranges)) {
            problems.push_back({*problem, field + ".ports"});
        } else {
            rule.ports = std::string(ports->as_string());
        }
    }
    const auto* addresses = o->if_contains("addresses");
    if (!addresses || !addresses->is_object()) {
        problems.push_back(
            {"addresses must be an object with ipv4, ipv6 or both", field + ".addresses"});
    } else {
        const auto before = problems.size();
        const std::string where = field + ".addresses";
        rule.ipv4 = read_addresses(addresses->as_object(), "ipv4", AF_INET, where, problems);
        rule.ipv6 = read_addresses(addresses->as_object(), "ipv6", AF_INET6, where, problems);
        const std::size_t count =
            (rule.ipv4 ? rule.ipv4->size() : 0) + (rule.ipv6 ? rule.ipv6->size() : 0);
        if (problems.size() == before && count == 0)
            problems.push_back({"addresses must contain ipv4, ipv6 or both", where});
        if (count > kMostAddresses)
            problems.push_back({"A rule may list at most 255 addresses and networks", where});
    }
    const auto text = [&](const char* name, std::size_t least, std::size_t most,
                          std::optional<std::string>& into) {
        const auto* v = o->if_contains(name);
        if (!v || v->is_null()) return;
        if (!v->is_string() || v->as_string().size() < least || v->as_string().size() > most ||
            has_control_character(v->as_string()))
            problems.push_back({std::string(name) + " must be " + std::to_string(least) + "-" +
                                    std::to_string(most) + " characters",
                                field + "." + name});
        else
            into = std::string(v->as_string());
    };
    text("label", 3, 32, rule.label);
    text("description", 1, 100, rule.description);
    return rule;
}

std::optional<std::vector<Rule>> read_list(const json::object& o, const char* name,
                                           const std::string& prefix,
                                           std::vector<ErrorDetail>& problems) {
    const auto* list = o.if_contains(name);
    if (!list) return std::vector<Rule>{};
    if (list->is_null()) return std::nullopt;
    const std::string field = prefix + name;
    if (!list->is_array()) {
        problems.push_back({std::string(name) + " must be a list of rules", field});
        return std::vector<Rule>{};
    }
    std::vector<Rule> out;
    for (std::size_t i = 0; i < list->as_array().size(); ++i)
        out.push_back(
            read_rule(list->as_array()[i], field + "[" + std::to_string(i) + "]", problems));
    return out;
}

json::object render_rule(const Rule& r) {
    json::object addresses;
    if (r.ipv4) addresses["ipv4"] = json::value_from(*r.ipv4);
    if (r.ipv6) addresses["ipv6"] = json::value_from(*r.ipv6);
    json::object o{{"action", r.action}, {"protocol", r.protocol}, {"addresses", addresses}};
    if (r.ports) o["ports"] = *r.ports;
    if (r.label) o["label"] = *r.label;
    if (r.description) o["description"] = *r.description;
    return o;
}

json::value render_list(const std::optional<std::vector<Rule>>& rules) {
    if (!rules) return nullptr;
    json::array out;
    for (const auto& r : *rules) out.push_back(render_rule(r));
    return out;
}

std::optional<std::vector<std::string>> strings_of(const json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    if (!v || !v->is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& s : v->as_array()) out.emplace_back(s.as_string());
    return out;
}

std::optional<std::vector<Rule>> parse_list(const json::value* v) {
    if (!v || v->is_null()) return std::nullopt;
    std::vector<Rule> out;
    for (const auto& item : v->as_array()) {
        const auto& o = item.as_object();
        Rule r;
        r.action = o.at("action").as_string();
        r.protocol = o.at("protocol").as_string();
        if (const auto* p = o.if_contains("ports")) {
            r.ports = std::string(p->as_string());
            read_ports(*r.ports, r.port_ranges);
        }
        const auto& addresses = o.at("addresses").as_object();
        r.ipv4 = strings_of(addresses, "ipv4");
        r.ipv6 = strings_of(addresses, "ipv6");
        if (const auto* l = o.if_contains("label")) r.label = std::string(l->as_string());
        if (const auto* d = o.if_contains("description"))
            r.description = std::string(d->as_string());
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

std::optional<std::string> read_ports(const std::string& text, std::vector<PortRange>& out) {
    const std::string bad =
        "ports must be ports (1-65535, no leading zeros) and ranges (first-last, first below "
        "last) separated by commas";
    std::vector<PortRange> ranges;
    std::size_t pieces = 0;
    std::size_t at = 0;
    const auto number = [&](int& into) {
        const std::size_t start = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
        if (at == start || at - start > 5 || text[start] == '0') return false;
        std::from_chars(text.data() + start, text.data() + at, into);
        return into >= 1 && into <= 65535;
    };
    if (text.empty()) return bad;
    while (true) {
        PortRange range;
        if (!number(range.first)) return bad;
        range.last = range.first;
        ++pieces;
        if (at < text.size() && text[at] == '-') {
            ++at;
            if (!number(range.last) || range.last <= range.first) return bad;
            ++pieces;
        }
        ranges.push_back(range);
        if (at == text.size()) break;
        if (text[at] != ',') return bad;
        ++at;
        if (at < text.size() && text[at] == ' ') ++at;
    }
    if (pieces > kMostPortPieces)
        return "ports may have at most 15 pieces (a port is one, a range two)";
    out = std::move(ranges);
    return std::nullopt;
}

Rules read_rules(const json::value& value, const std::string& prefix, bool policies_required,
                 std::vector<ErrorDetail>& problems) {
    Rules rules;
    const auto* o = value.if_object();
    const std::string dot = prefix.empty() ? "" : prefix + ".";
    if (!o) {
        problems.push_back({"rules must be an object", prefix.empty() ? "rules" : prefix});
        return rules;
    }
    for (const char* name : {"inbound_policy", "outbound_policy"}) {
        const auto* policy = o->if_contains(name);
        if (!policy) {
            if (policies_required)
                problems.push_back({std::string(name) + " is required", dot + name});
            continue;
        }
        if (!is_policy(*policy)) {
            problems.push_back({std::string(name) + " must be ACCEPT or DROP", dot + name});
            continue;
        }
        (std::string_view(name) == "inbound_policy" ? rules.inbound_policy
                                                    : rules.outbound_policy) = policy->as_string();
    }
    rules.inbound = read_list(*o, "inbound", dot, problems);
    rules.outbound = read_list(*o, "outbound", dot, problems);
    const std::size_t count =
        (rules.inbound ? rules.inbound->size() : 0) + (rules.outbound ? rules.outbound->size() : 0);
    if (count > kMostRules)
        problems.push_back(
            {"A Firewall may have at most 25 rules across its inbound and outbound rulesets",
             prefix.empty() ? "rules" : prefix});
    return rules;
}

json::object render(const Rules& rules) {
    return json::object{{"inbound", render_list(rules.inbound)},
                        {"inbound_policy", rules.inbound_policy},
                        {"outbound", render_list(rules.outbound)},
                        {"outbound_policy", rules.outbound_policy}};
}

Rules parse_stored(const json::object& doc) {
    Rules rules;
    rules.inbound = parse_list(doc.if_contains("inbound"));
    rules.outbound = parse_list(doc.if_contains("outbound"));
    rules.inbound_policy = doc.at("inbound_policy").as_string();
    rules.outbound_policy = doc.at("outbound_policy").as_string();
    return rules;
}

std::string fingerprint(const Rules& rules) {
    // FNV-1a over the rules as shown (keys in a fixed order), so equal rules match.
    const std::string text = to_json(render(rules));
    std::uint32_t h = 2166136261u;
    for (unsigned char c : text) h = (h ^ c) * 16777619u;
    char out[9];
    std::snprintf(out, sizeof out, "%08x", h);
    return out;
}

}  // namespace linnet::firewalls
