// Fixed-window counters keyed by limit and identity, swept of stale windows now and then.
#include "http/rate_limit.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace linnet::http {

std::vector<Limit> default_limits() {
    using std::chrono::seconds;
    return {{"*", 800, seconds(120)},
            {"post-linode-instance", 10, seconds(30)},
            {"get-images", 20, seconds(60)}};
}

std::vector<Limit> parse_limits(std::string_view text) {
    if (text == "off") return {};
    std::vector<Limit> out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        const auto eq = item.find('='), slash = item.find('/');
        if (eq == std::string_view::npos || slash == std::string_view::npos || slash < eq)
            throw std::invalid_argument("rate limit must be OPERATION=REQUESTS/SECONDS: " +
                                        std::string(item));
        int requests = 0, seconds = 0;
        auto a = std::from_chars(item.data() + eq + 1, item.data() + slash, requests);
        auto b = std::from_chars(item.data() + slash + 1, item.data() + item.size(), seconds);
        if (a.ec != std::errc() || b.ec != std::errc() || requests <= 0 || seconds <= 0)
            throw std::invalid_argument("rate limit must be OPERATION=REQUESTS/SECONDS: " +
                                        std::string(item));
        out.push_back({std::string(item.substr(0, eq)), requests, std::chrono::seconds(seconds)});
    }
    return out;
}

RateLimiter::Verdict RateLimiter::admit(const std::string& identity, std::string_view operation) {
    Verdict tightest;
    if (limits_.empty()) return tightest;
    const std::int64_t now = clock::unix_seconds();
    std::lock_guard lock(mutex_);
    if (now >= next_sweep_) {
        std::int64_t longest = 0;
        for (const auto& l : limits_) longest = std::max<std::int64_t>(longest, l.window.count());
        std::erase_if(windows_, [&](const auto& w) { return w.second.start + longest <= now; });
        next_sweep_ = now + 60;
    }
    bool first = true;
    std::vector<Window*> counted;
    for (const auto& l : limits_) {
        if (l.operation != "*" && l.operation != operation) continue;
        Window& w = windows_[l.operation + '\n' + identity];
        if (w.start + l.window.count() <= now) w = {now, 0};
        const int remaining = l.requests - w.count;
        Verdict v{remaining > 0, l.requests, std::max(0, remaining - 1), w.start + l.window.count(),
                  0};
        if (!v.allowed) {
            v.remaining = 0;
            v.retry_after = static_cast<int>(std::max<std::int64_t>(1, v.reset - now));
        }
        counted.push_back(&w);
        // The verdict shown is the one with the least left (a refusal beats everything).
        if (first || (!v.allowed && tightest.allowed) ||
            (v.allowed == tightest.allowed && v.remaining < tightest.remaining))
            tightest = v;
        first = false;
    }
    if (tightest.allowed)
        for (Window* w : counted) ++w->count;
    return tightest;
}

std::vector<std::pair<std::string, std::string>> RateLimiter::headers(const Verdict& v) {
    std::vector<std::pair<std::string, std::string>> h = {
        {"X-RateLimit-Limit", std::to_string(v.limit)},
        {"X-RateLimit-Remaining", std::to_string(v.remaining)},
        {"X-RateLimit-Reset", std::to_string(v.reset)}};
    if (!v.allowed) h.emplace_back("Retry-After", std::to_string(v.retry_after));
    return h;
}

}  // namespace linnet::http
