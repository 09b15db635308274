// Counting requests and rendering the Prometheus text format.
#include "http/metrics.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace linnet::http {

Metrics::Metrics(const Router& router) {
    for (const auto& route : router.routes()) {
        auto s = std::make_unique<Series>();
        s->method = route.method;
        s->operation = route.operation_id;
        series_.push_back(std::move(s));
    }
    auto unmatched = std::make_unique<Series>();
    unmatched->method = "any";
    unmatched->operation = "unmatched";
    series_.push_back(std::move(unmatched));
}

void Metrics::record(const Route* route, int status, double seconds) {
    Series& s = *series_[route ? route->index : series_.size() - 1];
    int cls = status / 100 - 1;
    if (cls < 0 || cls > 4) cls = 4;
    s.by_class[static_cast<std::size_t>(cls)].fetch_add(1, std::memory_order_relaxed);
    std::size_t b = 0;
    while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
    s.buckets[b].fetch_add(1, std::memory_order_relaxed);
    s.micros.fetch_add(static_cast<std::int64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::int64_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::int64_t pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

std::string Metrics::render() const {
    std::string out;
    out += "# HELP linnet_http_requests_total HTTP requests answered, by route and status class.\n";
    out += "# TYPE linnet_http_requests_total counter\n";
    static const char* classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    for (const auto& s : series_)
        for (std::size_t c = 0; c < 5; ++c) {
            auto n = s->by_class[c].load(std::memory_order_relaxed);
            if (n == 0) continue;
            out += "linnet_http_requests_total{operation=\"" + s->operation + "\",method=\"" +
                   s->method + "\",code=\"" + classes[c] + "\"} " + std::to_string(n) + "\n";
        }
    out += "# HELP linnet_http_request_duration_seconds Time to answer a request, by route.\n";
    out += "# TYPE linnet_http_request_duration_seconds histogram\n";
    for (const auto& s : series_) {
        std::int64_t total = 0;
        for (const auto& b : s->buckets) total += b.load(std::memory_order_relaxed);
        if (total == 0) continue;
        const std::string labels =
            "operation=\"" + s->operation + "\",method=\"" + s->method + "\"";
        std::int64_t cumulative = 0;
        for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
            cumulative += s->buckets[b].load(std::memory_order_relaxed);
            char le[32];
            if (b < kBuckets.size())
                std::snprintf(le, sizeof le, "%g", kBuckets[b]);
            else
                std::snprintf(le, sizeof le, "+Inf");
            out += "linnet_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le +
                   "\"} " + std::to_string(cumulative) + "\n";
        }
        char sum[64];
        std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(s->micros.load()) / 1e6);
        out += "linnet_http_request_duration_seconds_sum{" + labels + "} " + sum + "\n";
        out += "linnet_http_request_duration_seconds_count{" + labels + "} " +
               std::to_string(total) + "\n";
    }
    out += "# HELP linnet_http_requests_in_flight Requests being answered now.\n";
    out += "# TYPE linnet_http_requests_in_flight gauge\n";
    out += "linnet_http_requests_in_flight " + std::to_string(in_flight_.load()) + "\n";
    out +=
        "# HELP linnet_http_requests_prepared_together_total Requests whose callers were "
        "found in one round trip with other requests'.\n";
    out += "# TYPE linnet_http_requests_prepared_together_total counter\n";
    out += "linnet_http_requests_prepared_together_total " +
           std::to_string(prepared_together_.load()) + "\n";
    out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n";
    out += "# TYPE process_resident_memory_bytes gauge\n";
    out += "process_resident_memory_bytes " + std::to_string(resident_bytes()) + "\n";
    for (const auto& c : counters_) {
        out += "# HELP " + c.name + " " + c.help + "\n";
        out += "# TYPE " + c.name + " counter\n";
        out += c.name + " " + std::to_string(c.read()) + "\n";
    }
    return out;
}

void Metrics::add_counter(std::string name, std::string help, std::function<std::int64_t()> read) {
    counters_.push_back({std::move(name), std::move(help), std::move(read)});
}

}  // namespace linnet::http
