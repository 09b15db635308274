// Writing a zone file.
#include "domains/zone_file.hpp"

namespace linnet::domains {

namespace {

std::int64_t or_default(std::int64_t value, std::int64_t fallback) {
    return value > 0 ? value : fallback;
}

}  // namespace

std::string soa_mailbox(const std::string& email) {
    const auto at = email.find('@');
    if (at == std::string::npos) return email + ".";
    std::string user;
    for (char c : email.substr(0, at)) {
        if (c == '.') user += '\\';
        user += c;
    }
    return user + "." + email.substr(at + 1) + ".";
}

std::vector<std::string> zone_lines(const Domain& d, const std::vector<Record>& records) {
    const std::int64_t ttl = or_default(d.ttl_sec, 86400);
    std::vector<std::string> lines{
        "; " + d.domain + " [" + std::to_string(d.id) + "]", "$ORIGIN " + d.domain + ".",
        "$TTL " + std::to_string(ttl),
        "@ IN SOA " + std::string(kNameServers[0]) + ". " + soa_mailbox(d.soa_email) + " " +
            std::to_string(d.serial) + " " + std::to_string(or_default(d.refresh_sec, 14400)) +
            " " + std::to_string(or_default(d.retry_sec, 14400)) + " " +
            std::to_string(or_default(d.expire_sec, 1209600)) + " " + std::to_string(ttl)};
    for (const char* ns : kNameServers) lines.push_back("@ IN NS " + std::string(ns) + ".");
    for (const auto& r : records) lines.push_back(zone_line(r));
    return lines;
}

std::string zone_text(const Domain& d, const std::vector<Record>& records) {
    std::string out;
    for (const auto& line : zone_lines(d, records)) out += line + "\n";
    return out;
}

}  // namespace linnet::domains
