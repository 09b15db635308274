// Cookie header parsing and Set-Cookie values.
// Values are the service's own hex strings, so no quoting or escaping is ever needed.
#include "http/cookie.hpp"

namespace linnet::http {

std::optional<std::string> cookie(const Request& request, std::string_view name) {
    auto header = request.header("cookie");
    if (!header) return std::nullopt;
    std::string_view rest = *header;
    while (!rest.empty()) {
        const std::size_t semi = rest.find(';');
        std::string_view item = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos || item.substr(0, eq) != name) continue;
        std::string_view value = item.substr(eq + 1);
        while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
        return std::string(value);
    }
    return std::nullopt;
}

std::string set_cookie(std::string_view name, std::string_view value, long max_age) {
    std::string out(name);
    out += '=';
    out += value;
    out += "; Path=/; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax";
    return out;
}

}  // namespace linnet::http
