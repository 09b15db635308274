// Rate limits as the Linode API applies them: per token (per address without one), a general
// budget of 800 requests every 2 minutes, and tighter ones for some operations (Linode creates
// 10 per 30 s, image lists 20 per minute). Fixed windows that start at a caller's first request.
// One process counts on its own; API nodes that share a PostgreSQL database take batches of each
// window from it (a RateLedger), so that a limit holds across them.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace linnet::limits {
struct RateWindow;
}

namespace linnet::http {

class RateLedger;
using limits::RateWindow;

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
    // Without a ledger every window is counted in this process.
    explicit RateLimiter(std::vector<Limit> limits, RateLedger* ledger = nullptr)
        : limits_(std::move(limits)), ledger_(ledger) {}

    struct Verdict {
        bool allowed = true;
        int limit = 0;
        // What is left of the window for this caller: what no node has taken yet, plus what this
        // node took and has not used (with one node: the limit less the requests admitted).
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
    // This node's part of one caller's window of one limit.
    struct Window {
        std::int64_t start = 0;
        std::int64_t end = 0;  // over at end; 0: none yet
        int allowance = 0;     // requests this node may still admit in it
        int unclaimed = 0;     // of the limit, what no node had taken at the last grant
        int admitted = 0;      // requests this node admitted in it
        bool settled = false;  // nothing more to take: the limit is all granted, or counted here
    };
    // Brings the window up to `now`: an ended one starts over (here) or is forgotten (shared).
    void refresh(Window& w, const Limit& limit, std::int64_t now) const;
    // Adds what the ledger granted, or counts the rest of the window here when it could not.
    static void apply(Window& w, const Limit& limit, const std::optional<RateWindow>& grant,
                      std::int64_t now);
    void sweep(std::int64_t now);

    std::vector<Limit> limits_;
    RateLedger* ledger_;
    std::mutex mutex_;
    std::unordered_map<std::string, Window> windows_;
    std::int64_t next_sweep_ = 0;
};

}  // namespace linnet::http
