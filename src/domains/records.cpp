// Record fields, their checks and their zone-file lines.
#include "domains/records.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace linnet::domains {

namespace {

namespace json = boost::json;

constexpr std::array<std::int64_t, 12> kTtls = {300,   3600,   7200,   14400,  28800,   57600,
                                                86400, 172800, 345600, 604800, 1209600, 2419200};

bool is_ipv4(const std::string& text) {
    in_addr a{};
    return inet_pton(AF_INET, text.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& text) {
    in6_addr a{};
    return inet_pton(AF_INET6, text.c_str(), &a) == 1;
}

// Whether `name` is a host name: labels of letters, digits, hyphens and underscores (1-63
// each, 253 in all), a wildcard first label when `wildcard`, an ending dot when `absolute`.
bool is_host(std::string name, bool wildcard, bool absolute) {
    if (absolute && !name.empty() && name.back() == '.') name.pop_back();
    if (name.empty() || name.size() > 253) return false;
    std::size_t start = 0;
    bool first = true;
    while (start <= name.size()) {
        auto dot = name.find('.', start);
        if (dot == std::string::npos) dot = name.size();
        const std::string label = name.substr(start, dot - start);
        if (label.empty() || label.size() > 63) return false;
        const bool star = label == "*";
        if (star && !(first && wildcard)) return false;
        if (!star && !std::all_of(label.begin(), label.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
            }))
            return false;
        // A hyphen neither begins nor ends a label.
        if (label.front() == '-' || label.back() == '-') return false;
        first = false;
        start = dot + 1;
        if (dot == name.size()) break;
    }
    return true;
}

// A name given in full within the zone, made relative to it ("www.example.com." → "www").
std::string relative(std::string name, const std::string& zone) {
    if (!name.empty() && name.back() == '.') name.pop_back();
    const std::string z = lower_ascii(zone);
    const std::string n = lower_ascii(name);
    if (n == z) return "";
    if (n.size() > z.size() + 1 && n.compare(n.size() - z.size(), z.size(), z) == 0 &&
        n[n.size() - z.size() - 1] == '.')
        return name.substr(0, name.size() - z.size() - 1);
    return name;
}

// A host name target as the zone file writes it: absolute.
std::string absolute(const std::string& host) {
    if (host.empty() || host.back() == '.') return host;
    return host + ".";
}

// Text as one or more quoted character strings of at most 255 bytes.
std::string quoted(const std::string& text) {
    std::string out;
    std::size_t in_string = 0;
    out += '"';
    for (unsigned char c : text) {
        if (in_string == 255) {
            out += "\" \"";
            in_string = 0;
        }
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c >= 0x7f) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\%03u", c);
            out += esc;
        } else {
            out += static_cast<char>(c);
        }
        ++in_string;
    }
    out += '"';
    return out;
}

void integer(const json::object& body, const char* key, std::int64_t min, std::int64_t max,
             std::int64_t& into, std::vector<ErrorDetail>& problems) {
    const auto* v = body.if_contains(key);
    if (!v || v->is_null()) return;
    if (!v->is_int64() || v->as_int64() < min || v->as_int64() > max) {
        problems.push_back({std::string(key) + " must be an integer from " + std::to_string(min) +
                                " to " + std::to_string(max),
                            key});
        return;
    }
    into = v->as_int64();
}

// A text field; `nullable` ones may be cleared with null.
void text(const json::object& body, const char* key, std::size_t max,
          std::optional<std::string>& into, bool nullable, std::vector<ErrorDetail>& problems) {
    const auto* v = body.if_contains(key);
    if (!v) return;
    if (v->is_null() && nullable) {
        into.reset();
        return;
    }
    if (!v->is_string() || v->as_string().size() > max) {
        problems.push_back(
            {std::string(key) + " must be text of at most " + std::to_string(max) + " characters",
             key});
        return;
    }
    into = std::string(v->as_string());
}

}  // namespace

std::string lower_ascii(std::string text) {
    for (auto& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

std::optional<std::int64_t> rounded_ttl(std::int64_t seconds, bool zero_allowed) {
    if (seconds < 0 || seconds > kTtls.back()) return std::nullopt;
    if (seconds == 0) return zero_allowed ? std::optional<std::int64_t>(0) : std::nullopt;
    std::int64_t best = kTtls.front();
    for (const auto t : kTtls)
        if (std::llabs(t - seconds) < std::llabs(best - seconds)) best = t;
    return best;
}

void read_record(const json::object& body, const std::string& zone,
                 const std::string& remote_address, bool create, Record& into,
                 std::vector<ErrorDetail>& problems) {
    std::optional<std::string> type;
    text(body, "type", 16, type, false, problems);
    static const char* kTypes[] = {"A", "AAAA", "NS", "MX", "CNAME", "TXT", "SRV", "PTR", "CAA"};
    if (type) {
        if (std::find(std::begin(kTypes), std::end(kTypes), *type) == std::end(kTypes))
            problems.push_back(
                {"type must be one of A, AAAA, NS, MX, CNAME, TXT, SRV, PTR, CAA", "type"});
        else if (!create && *type != into.type)
            problems.push_back({"A record's type cannot be changed", "type"});
        else
            into.type = *type;
    } else if (create) {
        problems.push_back({"type is required", "type"});
    }
    std::optional<std::string> name = into.name;
    text(body, "name", 100, name, true, problems);
    into.name = relative(name.value_or(""), zone);
    std::optional<std::string> target = into.target;
    text(body, "target", 65535, target, true, problems);
    into.target = target.value_or("");
    if (into.target == "[remote_addr]") into.target = remote_address;
    integer(body, "priority", 0, 255, into.priority, problems);
    integer(body, "weight", 0, 65535, into.weight, problems);
    integer(body, "port", 0, 65535, into.port, problems);
    text(body, "service", 63, into.service, true, problems);
    text(body, "protocol", 63, into.protocol, true, problems);
    text(body, "tag", 16, into.tag, true, problems);
    if (const auto* v = body.if_contains("ttl_sec"); v && !v->is_null()) {
        const auto ttl = v->is_int64() ? rounded_ttl(v->as_int64(), true) : std::nullopt;
        if (!ttl)
            problems.push_back(
                {"ttl_sec must be 0 (the Domain's) or from 1 to 2419200 seconds, "
                 "rounded to 300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, "
                 "345600, 604800, 1209600 or 2419200",
                 "ttl_sec"});
        else
            into.ttl_sec = *ttl;
    }
    // An SRV record names its service, protocol, port and weight.
    if (create && into.type == "SRV")
        for (const char* key : {"service", "priority", "weight", "port"})
            if (!body.contains(key))
                problems.push_back({std::string(key) + " is required for an SRV record", key});
    if (into.type == "SRV") {
        if (into.service && !into.service->empty() && into.service->front() == '_')
            into.service = into.service->substr(1);
        if (!into.protocol || into.protocol->empty()) into.protocol = "tcp";
        if (into.protocol->front() == '_') into.protocol = into.protocol->substr(1);
    }
}

void check_record(const Record& r, const std::string& zone, std::vector<ErrorDetail>& problems) {
    (void)zone;
    const bool wildcard = r.type != "NS" && r.type != "SRV";
    if (!r.name.empty() && !is_host(r.name, wildcard, false))
        problems.push_back({"name must be a host name within the Domain", "name"});
    const auto host_target = [&](bool empty_ok) {
        if (r.target.empty() && empty_ok) return;
        if (!is_host(r.target, false, true))
            problems.push_back({"target must be a valid domain name", "target"});
    };
    if (r.type == "A") {
        if (!is_ipv4(r.target)) problems.push_back({"target must be an IPv4 address", "target"});
    } else if (r.type == "AAAA") {
        if (!is_ipv6(r.target)) problems.push_back({"target must be an IPv6 address", "target"});
    } else if (r.type == "NS" || r.type == "PTR") {
        host_target(false);
    } else if (r.type == "MX") {
        // A null MX ("" or ".") says the name takes no mail; its priority is 0.
        if (r.target.empty() || r.target == ".") {
            if (r.priority != 0)
                problems.push_back({"A null MX record's priority must be 0", "priority"});
        } else {
            host_target(false);
        }
    } else if (r.type == "CNAME") {
        if (r.name.empty())
            problems.push_back({"A CNAME record cannot be at the Domain's apex", "name"});
        host_target(false);
    } else if (r.type == "TXT") {
        if (r.target.empty()) problems.push_back({"target is required for a TXT record", "target"});
    } else if (r.type == "SRV") {
        const auto label_ok = [](const std::optional<std::string>& v) {
            return v && !v->empty() && is_host(*v, false, false) &&
                   v->find('.') == std::string::npos;
        };
        if (!label_ok(r.service))
            problems.push_back({"service must be a service name, as sip", "service"});
        if (!label_ok(r.protocol))
            problems.push_back({"protocol must be a protocol name, as tcp", "protocol"});
        host_target(false);
    } else if (r.type == "CAA") {
        if (!r.tag || (*r.tag != "issue" && *r.tag != "issuewild" && *r.tag != "iodef"))
            problems.push_back({"tag must be issue, issuewild or iodef", "tag"});
        if (r.target.empty() || r.target.size() > 255)
            problems.push_back({"target must be the CAA value, 1-255 characters", "target"});
    }
}

void check_neighbours(const Record& r, const std::vector<Record>& others,
                      std::vector<ErrorDetail>& problems) {
    const std::string mine = lower_ascii(owner(r));
    for (const auto& o : others) {
        if (lower_ascii(owner(o)) != mine) continue;
        if (r.type == "CNAME" || o.type == "CNAME") {
            problems.push_back({"A CNAME record's name can hold no other record (" + o.type + " " +
                                    owner(o) + " exists)",
                                "name"});
            return;
        }
    }
}

std::string owner(const Record& r) {
    std::string name = r.name;
    if (r.type == "SRV")
        name = "_" + r.service.value_or("") + "._" + r.protocol.value_or("tcp") +
               (name.empty() ? "" : "." + name);
    return name.empty() ? "@" : name;
}

std::string zone_line(const Record& r) {
    std::string rdata;
    if (r.type == "A" || r.type == "AAAA")
        rdata = r.target;
    else if (r.type == "NS" || r.type == "CNAME" || r.type == "PTR")
        rdata = absolute(r.target);
    else if (r.type == "MX")
        rdata = std::to_string(r.priority) + " " +
                (r.target.empty() || r.target == "." ? "." : absolute(r.target));
    else if (r.type == "TXT")
        rdata = quoted(r.target);
    else if (r.type == "SRV")
        rdata = std::to_string(r.priority) + " " + std::to_string(r.weight) + " " +
                std::to_string(r.port) + " " + absolute(r.target);
    else if (r.type == "CAA")
        rdata = "0 " + r.tag.value_or("issue") + " " + quoted(r.target);
    std::string line = owner(r);
    if (r.ttl_sec > 0) line += " " + std::to_string(r.ttl_sec);
    return line + " IN " + r.type + " " + rdata;
}

json::object document(const Record& r) {
    const auto or_null = [](const std::optional<std::string>& v) {
        return v ? json::value(json::string(*v)) : json::value(nullptr);
    };
    return json::object{{"id", r.id},
                        {"type", r.type},
                        {"name", r.name},
                        {"target", r.target},
                        {"priority", r.priority},
                        {"weight", r.weight},
                        {"port", r.port},
                        {"service", or_null(r.type == "SRV" ? r.service : std::nullopt)},
                        {"protocol", or_null(r.type == "SRV" ? r.protocol : std::nullopt)},
                        {"ttl_sec", r.ttl_sec},
                        {"tag", or_null(r.type == "CAA" ? r.tag : std::nullopt)},
                        {"created", r.created},
                        {"updated", r.updated}};
}

}  // namespace linnet::domains
