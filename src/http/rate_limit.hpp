// Rate limits as the Linode API applies them: per token (per address without one), a general
// budget of 800 requests every 2 minutes, and tighter ones for some operations (Linode creates
// 10 per 30 s, image lists 20 per minute). Fixed windows, counted in this process.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace linnet::http {

struct Limit {
    std::string operation;  // an operationId, or "*" for every request
    int requests;
    std::chrono::seconds window;
};

// The spec's defaults.
std::vector<Limit> default_limits();
// "off", or limits such as "*=800/120,post-linode-instance=10/30" replacing the defaults.
// Throws std::invalid_argument on a malformed value.
std::vector<Limit> parse_limits(std::string_view text);

class RateLimiter {
  public:
    explicit RateLimiter(std::vector<Limit> limits) : limits_(std::move(limits)) {}

    struct Verdict {
        bool allowed = true;
        int limit = 0;
        int remaining = 0;
        std::int64_t reset = 0;  // unix seconds when the tightest window starts over
        int retry_after = 0;     // seconds, when not allowed
    };

    // Counts one request of `identity` to `operation` and says whether it may go on; the
    // headers describe the tightest limit that applies.
    Verdict admit(const std::string& identity, std::string_view operation);
    // X-RateLimit-Limit, -Remaining, -Reset (and Retry-After when refused).
    static std::vector<std::pair<std::string, std::string>> headers(const Verdict& v);
    bool enabled() const { return !limits_.empty(); }

  private:
    struct Window {
        std::int64_t start = 0;
        int count = 0;
    };
    std::vector<Limit> limits_;
    std::mutex mutex_;
    std::unordered_map<std::string, Window> windows_;
    std::int64_t next_sweep_ = 0;
};

}  // namespace linnet::http
