// The API nodes' shared account of rate limits: a node that has used up its allowance for a
// caller takes a batch of the caller's window from the store in one short write, and admits that
// many requests without asking again. The store never grants more than the limit in total, so a
// caller spreading requests over several nodes gets no more than its limit, and the store sees
// one write per batch rather than one per request.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "limits/rate_window_repository.hpp"
#include "store/database.hpp"

namespace linnet::http {

using limits::RateWindow;

struct Limit;

class RateLedger {
  public:
    explicit RateLedger(store::Database& db) : db_(db) {}

    // The batch a node takes at a time: a twentieth of the limit, at least one request.
    static int batch(int requests) { return requests / 20 > 1 ? requests / 20 : 1; }

    // Takes a batch of `identity`'s current window of `limit` at `now` (a window that has ended
    // starts over). nullopt when the store cannot be used: the failure is logged once, and the
    // store is left alone for a few seconds while callers count in their own process.
    std::optional<RateWindow> take(const Limit& limit, const std::string& identity,
                                   std::int64_t now);

    // Write transactions made on the store, and how many of them failed.
    std::int64_t writes() const { return writes_.load(std::memory_order_relaxed); }
    std::int64_t failures() const { return failures_.load(std::memory_order_relaxed); }

    // Seconds the store is left alone after a failure.
    static constexpr std::int64_t kRetryAfter = 5;
    // Windows are swept this often, once they have been over for as long (clocks of the nodes
    // may differ by less).
    static constexpr std::int64_t kSweepEvery = 60;

  private:
    // Removes windows long over, when it is time; false when the store failed.
    bool sweep(std::int64_t now);
    void failed(const std::exception& e, std::int64_t now);

    store::Database& db_;
    std::atomic<std::int64_t> writes_{0};
    std::atomic<std::int64_t> failures_{0};
    std::atomic<std::int64_t> retry_at_{0};
    std::atomic<std::int64_t> next_sweep_{0};
    std::atomic<bool> down_{false};
};

}  // namespace linnet::http
