// Prometheus metrics of the HTTP layer: requests and latency per route, requests in flight, and
// the process's resident memory. Lock-free counters, updated on every request.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace linnet::http {

class Metrics {
  public:
    explicit Metrics(const Router& router);

    // route is null for requests that matched no route (404, 405, preflight).
    void record(const Route* route, int status, double seconds);
    std::atomic<std::int64_t>& in_flight() { return in_flight_; }
    // Requests whose callers were found together with others' (ServerOptions::batch).
    std::atomic<std::int64_t>& prepared_together() { return prepared_together_; }
    std::string render() const;
    // A counter kept elsewhere (e.g. the rate limiter's writes to the store), read when rendered.
    void add_counter(std::string name, std::string help, std::function<std::int64_t()> read);

    static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  private:
    struct Series {
        std::string method;
        std::string operation;
        std::array<std::atomic<std::int64_t>, 5> by_class{};  // 1xx..5xx
        std::array<std::atomic<std::int64_t>, kBuckets.size() + 1> buckets{};
        std::atomic<std::int64_t> micros{0};
    };
    std::vector<std::unique_ptr<Series>> series_;  // one per route, then one for "unmatched"
    std::atomic<std::int64_t> in_flight_{0};
    std::atomic<std::int64_t> prepared_together_{0};
    struct Counter {
        std::string name;
        std::string help;
        std::function<std::int64_t()> read;
    };
    std::vector<Counter> counters_;
};

// Resident set size of this process in bytes (from /proc/self/statm).
std::int64_t resident_bytes();

}  // namespace linnet::http
