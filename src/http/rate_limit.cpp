// Fixed-window counters keyed by limit and identity, swept of stale windows now and then; with a
// ledger, the allowance in each window comes from the store in batches.
#include "http/rate_limit.hpp"

#include "core/clock.hpp"
#include "http/rate_ledger.hpp"

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

void RateLimiter::refresh(Window& w, const Limit& limit, std::int64_t now) const {
    if (now < w.end) return;
    if (ledger_ != nullptr)
        w = Window{};  // the next grant says when the window starts
    else
        w = Window{now, now + limit.window.count(), limit.requests, 0, 0, true};
}

void RateLimiter::apply(Window& w, const Limit& limit, const std::optional<RateWindow>& grant,
                        std::int64_t now) {
    if (!grant) {
        // The store could not be asked: this node counts the rest of the window on its own.
        if (w.end <= now) w = Window{now, now + limit.window.count()};
        w.allowance = std::max(0, limit.requests - w.admitted);
        w.unclaimed = 0;
        w.settled = true;
        return;
    }
    if (grant->start < w.start) return;  // taken for a window that has ended since
    if (grant->start > w.start) w = Window{grant->start, grant->end, 0, limit.requests};
    w.allowance += grant->lease;
    w.unclaimed = std::min(w.unclaimed, std::max(0, limit.requests - grant->granted));
    if (grant->lease == 0 || grant->granted >= limit.requests) w.settled = true;
}

void RateLimiter::sweep(std::int64_t now) {
    if (now < next_sweep_) return;
    std::erase_if(windows_, [&](const auto& w) { return w.second.end <= now; });
    next_sweep_ = now + 60;
}

RateLimiter::Verdict RateLimiter::admit(const std::string& identity, std::string_view operation) {
    Verdict tightest;
    if (limits_.empty()) return tightest;
    // The limits that apply, each with the key of the caller's window.
    std::vector<std::pair<const Limit*, std::string>> applicable;
    for (const auto& l : limits_)
        if (l.operation == "*" || l.operation == operation)
            applicable.emplace_back(&l, l.operation + '\n' + identity);
    std::unique_lock lock(mutex_);
    std::int64_t now = 0;
    for (;;) {
        now = clock::unix_seconds();
        sweep(now);
        bool refused = false;
        std::vector<std::size_t> wanted;  // windows this node has no allowance left in
        for (std::size_t i = 0; i < applicable.size(); ++i) {
            Window& w = windows_[applicable[i].second];
            refresh(w, *applicable[i].first, now);
            if (w.allowance > 0) continue;
            if (w.settled)
                refused = true;
            else
                wanted.push_back(i);
        }
        if (refused || wanted.empty()) break;
        // A grant is a round trip to the store: other callers go on meanwhile. Grants that
        // concurrent requests of this caller take add up; none is lost.
        lock.unlock();
        std::vector<std::optional<RateWindow>> grants;
        for (auto i : wanted) grants.push_back(ledger_->take(*applicable[i].first, identity, now));
        lock.lock();
        for (std::size_t j = 0; j < wanted.size(); ++j) {
            const auto& [limit, key] = applicable[wanted[j]];
            apply(windows_[key], *limit, grants[j], now);
        }
    }
    bool first = true;
    for (const auto& [limit, key] : applicable) {
        // Only a settled window refuses; one still to be taken from has not refused (another
        // limit did, before anything was taken).
        const Window& w = windows_[key];
        Verdict v{w.allowance > 0 || !w.settled, limit->requests,
                  std::max(0, w.unclaimed + w.allowance - 1), w.end, 0};
        if (!v.allowed) {
            v.remaining = 0;
            v.retry_after = static_cast<int>(std::max<std::int64_t>(1, v.reset - now));
        }
        // The verdict shown is the one with the least left (a refusal beats everything).
        if (first || (!v.allowed && tightest.allowed) ||
            (v.allowed == tightest.allowed && v.remaining < tightest.remaining))
            tightest = v;
        first = false;
    }
    if (tightest.allowed)
        for (const auto& [limit, key] : applicable) {
            Window& w = windows_[key];
            --w.allowance;
            ++w.admitted;
        }
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
