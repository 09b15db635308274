// Batches of rate-limit windows taken from the store, each in one counter transaction.
#include "http/rate_ledger.hpp"

#include <spdlog/spdlog.h>

#include "http/rate_limit.hpp"

namespace linnet::http {

std::optional<RateWindow> RateLedger::take(const Limit& limit, const std::string& identity,
                                           std::int64_t now) {
    if (now < retry_at_.load(std::memory_order_relaxed) || !sweep(now)) return std::nullopt;
    writes_.fetch_add(1, std::memory_order_relaxed);
    try {
        // The grant reads and writes one row of its own: it need not wait for other writers,
        // and may run while the request holds a write transaction.
        auto tx = db_.begin(store::Access::counter);
        auto window = limits::RateWindowRepository(*tx).grant(limit.operation, identity,
                                                              limit.requests, batch(limit.requests),
                                                              now, limit.window.count());
        tx->commit();
        if (down_.exchange(false)) spdlog::info("rate limits: shared through the store again");
        return window;
    } catch (const store::StoreError& e) {
        failed(e, now);
        return std::nullopt;
    }
}

bool RateLedger::sweep(std::int64_t now) {
    std::int64_t due = next_sweep_.load(std::memory_order_relaxed);
    if (now < due || !next_sweep_.compare_exchange_strong(due, now + kSweepEvery)) return true;
    writes_.fetch_add(1, std::memory_order_relaxed);
    try {
        auto tx = db_.begin(store::Access::counter);
        limits::RateWindowRepository(*tx).sweep(now - kSweepEvery);
        tx->commit();
        return true;
    } catch (const store::StoreError& e) {
        failed(e, now);
        return false;
    }
}

void RateLedger::failed(const std::exception& e, std::int64_t now) {
    failures_.fetch_add(1, std::memory_order_relaxed);
    retry_at_.store(now + kRetryAfter, std::memory_order_relaxed);
    if (!down_.exchange(true))
        spdlog::warn("rate limits: the store is unavailable ({}); counting in this process",
                     e.what());
}

}  // namespace linnet::http
