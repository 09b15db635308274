// Trusted proxies and what they forward.
#include "http/proxies.hpp"

#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <optional>
#include <stdexcept>

namespace linnet::http {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// An address as 16 bytes (IPv4 mapped into IPv6), and the prefix that its own family spans.
std::optional<std::pair<std::array<unsigned char, 16>, unsigned>> bytes_of(std::string_view text) {
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(std::string(trim(text)), ec);
    if (ec) return std::nullopt;
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
    if (address.is_v4())
        return std::pair{
            boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, address.to_v4())
                .to_bytes(),
            32u};
    return std::pair{address.to_v6().to_bytes(), 128u};
}

std::vector<std::string_view> split(std::string_view list) {
    std::vector<std::string_view> out;
    for (;;) {
        const auto comma = list.find(',');
        if (auto item = trim(list.substr(0, comma)); !item.empty()) out.push_back(item);
        if (comma == std::string_view::npos) return out;
        list.remove_prefix(comma + 1);
    }
}

}  // namespace

TrustedProxies TrustedProxies::parse(std::string_view list) {
    TrustedProxies out;
    for (auto entry : split(list)) {
        const auto slash = entry.find('/');
        auto address = bytes_of(entry.substr(0, slash));
        if (!address)
            throw std::invalid_argument("not an address or network: " + std::string(entry));
        unsigned bits = address->second;
        if (slash != std::string_view::npos) {
            const auto text = entry.substr(slash + 1);
            unsigned n = 0;
            if (text.empty() || text.size() > 3)
                throw std::invalid_argument("bad prefix: " + std::string(entry));
            for (char c : text) {
                if (!std::isdigit(static_cast<unsigned char>(c)))
                    throw std::invalid_argument("bad prefix: " + std::string(entry));
                n = n * 10 + static_cast<unsigned>(c - '0');
            }
            if (n > address->second)
                throw std::invalid_argument("bad prefix: " + std::string(entry));
            bits = n;
        }
        out.networks_.push_back({address->first, 128 - address->second + bits});
    }
    return out;
}

bool TrustedProxies::trusts(std::string_view text) const {
    if (networks_.empty()) return false;
    auto address = bytes_of(text);
    if (!address) return false;
    for (const auto& net : networks_) {
        bool inside = true;
        for (unsigned bit = 0; bit < net.prefix && inside; ++bit) {
            const unsigned char mask = static_cast<unsigned char>(0x80 >> (bit % 8));
            inside = (address->first[bit / 8] & mask) == (net.bytes[bit / 8] & mask);
        }
        if (inside) return true;
    }
    return false;
}

void apply_forwarding(Request& request, const TrustedProxies& proxies) {
    if (!proxies.trusts(request.remote_address)) return;
    if (auto proto = request.header("x-forwarded-proto")) {
        const auto hops = split(*proto);
        if (!hops.empty()) {
            std::string last(hops.back());
            for (auto& c : last) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request.secure = last == "https";
        }
    }
    if (auto forwarded = request.header("x-forwarded-for")) {
        const auto hops = split(*forwarded);
        for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
            if (!bytes_of(*hop)) break;  // not an address: trust nothing further left
            request.remote_address = std::string(*hop);
            if (!proxies.trusts(*hop)) break;
        }
    }
}

void secure_cookies(Response& response, const Request& request) {
    if (!request.secure) return;
    for (auto& [name, value] : response.headers)
        if (name == "Set-Cookie" && value.find("; Secure") == std::string::npos)
            value += "; Secure";
}

}  // namespace linnet::http
