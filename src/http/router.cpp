// Route matching. Literal segments beat parameters, so "/regions/availability" is never read as
// a region called "availability".
#include "http/router.hpp"

#include <stdexcept>

#include "core/error.hpp"

namespace linnet::http {

namespace {
std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 1;  // skip the leading '/'
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        out.emplace_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

// A template's rank: earlier literal segments rank first.
std::string rank(const std::string& path) {
    std::string key;
    for (const auto& seg : split_path(path)) key += (seg.front() == '{') ? '1' : '0';
    return key;
}
}  // namespace

void Router::add(std::string method, std::string path, std::string operation_id,
                 auth::Requirement requirement, Handler handler, bool immutable,
                 std::string list_family) {
    // A route added twice would answer from whichever came first: a mistake of the table.
    for (const auto& r : routes_)
        if (r.method == method && r.path == path)
            throw std::logic_error("route added twice: " + method + " " + path);
    Compiled compiled;
    for (auto& seg : split_path(path)) {
        Segment s;
        if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
            s.param = true;
            s.text = seg.substr(1, seg.size() - 2);
            if (s.text.back() == '+') {
                s.rest = true;
                s.text.pop_back();
            }
        } else {
            s.text = seg;
        }
        compiled.segments.push_back(std::move(s));
    }
    // Keep the table ordered so that more literal templates are tried first.
    std::size_t pos = 0;
    const std::string key = rank(path);
    while (pos < routes_.size() && rank(routes_[pos].path) <= key) ++pos;
    routes_.insert(
        routes_.begin() + static_cast<long>(pos),
        Route{std::move(method), std::move(path), std::move(operation_id), std::move(requirement),
              std::move(handler), immutable, 0, std::move(list_family)});
    compiled_.insert(compiled_.begin() + static_cast<long>(pos), std::move(compiled));
    for (std::size_t i = 0; i < routes_.size(); ++i) routes_[i].index = i;
}

bool Router::match_segments(const Compiled& compiled, const std::vector<std::string>& raw,
                            std::map<std::string, std::string>& params) const {
    const auto& segs = compiled.segments;
    std::size_t r = 0;
    for (std::size_t s = 0; s < segs.size(); ++s) {
        const Segment& seg = segs[s];
        if (seg.rest) {
            // Take as many segments as leave exactly enough for the rest of the template.
            const std::size_t after = segs.size() - s - 1;
            if (raw.size() < r + 1 + after) return false;
            const std::size_t take = raw.size() - r - after;
            std::string joined;
            for (std::size_t i = 0; i < take; ++i) {
                if (raw[r + i].empty()) return false;
                auto decoded = percent_decode(raw[r + i]);
                if (!decoded || decoded->find('\0') != std::string::npos) return false;
                if (i) joined.push_back('/');
                joined += *decoded;
            }
            params[seg.text] = std::move(joined);
            r += take;
            continue;
        }
        if (r >= raw.size()) return false;
        if (seg.param) {
            if (raw[r].empty()) return false;
            auto decoded = percent_decode(raw[r]);
            // A NUL names nothing Linnet keeps.
            if (!decoded || decoded->find('\0') != std::string::npos) return false;
            params[seg.text] = std::move(*decoded);
        } else if (seg.text != raw[r]) {
            return false;
        }
        ++r;
    }
    return r == raw.size();
}

void Router::hashes_passwords(std::string_view method, std::string_view path) {
    for (const auto& r : routes_)
        if (r.method == method && r.path == path) {
            if (path.find('{') != std::string_view::npos)
                throw std::logic_error("a route that hashes has parameters: " + r.path);
            hashing_.emplace_back(method, path);
            return;
        }
    throw std::logic_error("no route to mark as hashing: " + std::string(method) + " " +
                           std::string(path));
}

bool Router::hashing(std::string_view method, std::string_view path) const {
    for (const auto& [m, p] : hashing_)
        if (m == method && p == path) return true;
    return false;
}

Match Router::match(std::string_view method, std::string_view path) const {
    const auto raw = split_path(path);
    std::string allow;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        std::map<std::string, std::string> params;
        if (!match_segments(compiled_[i], raw, params)) continue;
        if (routes_[i].method == method) return Match{&routes_[i], std::move(params)};
        if (allow.find(routes_[i].method) == std::string::npos) {
            if (!allow.empty()) allow += ", ";
            allow += routes_[i].method;
        }
    }
    if (!allow.empty()) throw errors::method_not_allowed(allow);
    throw errors::not_found();
}

std::optional<std::string> strip_api_prefix(std::string_view path) {
    std::string_view rest;
    if (path.rfind("/v4beta", 0) == 0)
        rest = path.substr(7);
    else if (path.rfind("/v4", 0) == 0)
        rest = path.substr(3);
    else
        return std::nullopt;
    if (!rest.empty() && rest.front() != '/') return std::nullopt;
    if (rest.size() > 1 && rest.back() == '/') rest.remove_suffix(1);
    if (rest.empty()) rest = "/";
    return std::string(rest);
}

}  // namespace linnet::http
