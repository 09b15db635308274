// A zone transfer read into a Domain.
#include "domains/zone_transfer.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <sstream>

#include "compute/process.hpp"
#include "core/error.hpp"

namespace linnet::domains {

namespace {

std::string without_dot(std::string s) {
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

// The character strings of TXT or CAA rdata, joined ("a" "b" → ab).
std::string unquoted(const std::string& rdata) {
    std::string out;
    bool in = false;
    for (std::size_t i = 0; i < rdata.size(); ++i) {
        const char c = rdata[i];
        if (c == '"') {
            in = !in;
        } else if (c == '\\' && i + 1 < rdata.size()) {
            if (std::isdigit(static_cast<unsigned char>(rdata[i + 1])) && i + 3 < rdata.size()) {
                out += static_cast<char>(std::stoi(rdata.substr(i + 1, 3)));
                i += 3;
            } else {
                out += rdata[++i];
            }
        } else if (in) {
            out += c;
        }
    }
    return out;
}

std::int64_t number(const std::string& text) {
    try {
        return std::stoll(text);
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace

Transferred read_transfer(const std::string& text, const std::string& zone) {
    Transferred out;
    out.domain.domain = zone;
    out.domain.type = "master";
    const std::string apex = lower_ascii(zone);
    bool soa = false;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line.front() == ';') continue;
        std::istringstream fields(line);
        std::string owner, ttl, klass, type;
        if (!(fields >> owner >> ttl >> klass >> type)) continue;
        std::string rdata;
        std::getline(fields, rdata);
        rdata.erase(0, rdata.find_first_not_of(" \t"));
        std::istringstream parts(rdata);
        std::string name = without_dot(owner);
        if (lower_ascii(name) == apex)
            name.clear();
        else if (name.size() > apex.size() && lower_ascii(name).ends_with("." + apex))
            name = name.substr(0, name.size() - apex.size() - 1);
        else
            continue;  // outside the zone
        if (type == "SOA") {
            if (soa) continue;  // a transfer ends with the SOA again
            soa = true;
            std::string primary, mailbox, serial, refresh, retry, expire, minimum;
            parts >> primary >> mailbox >> serial >> refresh >> retry >> expire >> minimum;
            // The mailbox's first unescaped dot is the @.
            std::string email;
            bool at = false;
            for (std::size_t i = 0; i < mailbox.size(); ++i) {
                if (mailbox[i] == '\\' && i + 1 < mailbox.size()) {
                    email += mailbox[++i];
                } else if (mailbox[i] == '.' && !at) {
                    email += '@';
                    at = true;
                } else {
                    email += mailbox[i];
                }
            }
            out.domain.soa_email = without_dot(email);
            out.domain.refresh_sec = number(refresh);
            out.domain.retry_sec = number(retry);
            out.domain.expire_sec = number(expire);
            out.domain.ttl_sec = number(minimum);
            continue;
        }
        Record r;
        r.type = type;
        r.name = name;
        r.ttl_sec = number(ttl);
        if (type == "A" || type == "AAAA") {
            parts >> r.target;
        } else if (type == "NS" || type == "CNAME" || type == "PTR") {
            if (type == "NS" && name.empty()) continue;  // the zone's own name servers
            parts >> r.target;
            r.target = without_dot(r.target);
        } else if (type == "MX") {
            std::string priority;
            parts >> priority >> r.target;
            r.priority = number(priority);
            r.target = without_dot(r.target);
        } else if (type == "TXT") {
            r.target = unquoted(rdata);
        } else if (type == "SRV") {
            std::string priority, weight, port;
            parts >> priority >> weight >> port >> r.target;
            r.priority = number(priority);
            r.weight = number(weight);
            r.port = number(port);
            r.target = without_dot(r.target);
            // _service._protocol[.name]
            const auto first = name.find('.');
            const auto second = first == std::string::npos ? first : name.find('.', first + 1);
            if (name.size() < 4 || name[0] != '_' || first == std::string::npos ||
                name[first + 1] != '_') {
                out.skipped.push_back("SRV " + name);
                continue;
            }
            r.service = name.substr(1, first - 1);
            r.protocol = name.substr(
                first + 2, second == std::string::npos ? std::string::npos : second - first - 2);
            r.name = second == std::string::npos ? "" : name.substr(second + 1);
        } else if (type == "CAA") {
            std::string flags, tag;
            parts >> flags >> tag;
            r.tag = tag;
            std::string rest;
            std::getline(parts, rest);
            r.target = unquoted(rest);
        } else {
            out.skipped.push_back(type + " " + (name.empty() ? "@" : name));
            continue;
        }
        out.records.push_back(std::move(r));
    }
    if (!soa)
        throw errors::bad_request("The name server gave no zone transfer of " + zone,
                                  "remote_nameserver");
    return out;
}

Transferred transfer(const std::string& zone, const std::string& nameserver) {
    std::string address = nameserver, port = "53";
    // ADDRESS:PORT for IPv4 or a name; [IPv6]:PORT; a bare IPv6 has no port.
    if (!address.empty() && address.front() == '[') {
        const auto close = address.find(']');
        if (close == std::string::npos)
            throw errors::bad_request("remote_nameserver must be an address", "remote_nameserver");
        if (close + 1 < address.size() && address[close + 1] == ':')
            port = address.substr(close + 2);
        address = address.substr(1, close - 1);
    } else if (std::count(address.begin(), address.end(), ':') == 1) {
        port = address.substr(address.find(':') + 1);
        address = address.substr(0, address.find(':'));
    }
    in_addr v4{};
    in6_addr v6{};
    const bool ip = inet_pton(AF_INET, address.c_str(), &v4) == 1 ||
                    inet_pton(AF_INET6, address.c_str(), &v6) == 1;
    const bool port_ok = !port.empty() && port.size() <= 5 &&
                         std::all_of(port.begin(), port.end(), ::isdigit) && number(port) > 0 &&
                         number(port) < 65536;
    if (!ip || !port_ok)
        throw errors::bad_request("remote_nameserver must be an IP address, with :PORT if not 53",
                                  "remote_nameserver");
    const auto result = compute::run({"kdig", "@" + address, "-p", port, "AXFR", zone + ".",
                                      "+nocomments", "+nostats", "+time=5", "+retry=0", "+tcp"});
    if (result.status != 0)
        throw errors::bad_request("The zone transfer from " + nameserver + " failed",
                                  "remote_nameserver");
    return read_transfer(result.output, zone);
}

}  // namespace linnet::domains
