// The Linode usage aggregate: linode_stats (what a Linode's host measured of it, summed over
// five-minute buckets) and linode_transfer (its public network bytes per month). Rates are
// worked out when read: a bucket keeps sums and the seconds they cover, so samples of any
// spacing add up. Every statement on them lives in usage_repository.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::stats {

inline constexpr std::int64_t kBucketSeconds = 300;

struct Usage {
    std::int64_t at = 0;  // the bucket's start (Unix seconds)
    double seconds = 0;   // how much of it was observed
    double cpu_seconds = 0;
    double io_bytes = 0;
    double swap_bytes = 0;
    double net_in = 0;
    double net_out = 0;
};

struct Transfer {
    std::int64_t bytes_in = 0;
    std::int64_t bytes_out = 0;
};

class UsageRepository {
  public:
    explicit UsageRepository(store::Transaction& tx) : tx_(tx) {}

    // Adds a sample's amounts to the Linode's bucket `usage.at` and its month's transfer.
    void add(std::int64_t linode_id, const Usage& usage, const std::string& month);
    // Buckets from `from` (inclusive) to `to` (exclusive), by time; `step` a multiple of the
    // bucket: buckets are summed into steps of that length.
    std::vector<Usage> between(std::int64_t linode_id, std::int64_t from, std::int64_t to,
                               std::int64_t step = kBucketSeconds);
    Transfer transfer(std::int64_t linode_id, const std::string& month);
    // Drops buckets older than `before` (months of transfer stay).
    std::int64_t forget_before(std::int64_t before);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::stats
