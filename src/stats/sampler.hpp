// Sampling what a host's running Linodes use: each call reads the driver's counters and adds
// what each Linode used since the previous call to its current five-minute bucket and its
// month's transfer (a counter that went back, a restarted VM, counts from zero).
#pragma once

#include <cstdint>
#include <map>

#include "compute/driver.hpp"
#include "store/database.hpp"

namespace linnet::stats {

class Sampler {
  public:
    Sampler(store::Database& db, compute::Driver& driver) : db_(db), driver_(driver) {}
    // `now_ms`: Unix milliseconds. Linodes that stopped since are forgotten.
    void sample(std::int64_t now_ms);
    // How often: 60 s, or LINNET_STATS_INTERVAL_MS.
    static std::int64_t interval_ms();

  private:
    struct Seen {
        std::int64_t at_ms = 0;
        compute::Counters counters;
    };
    store::Database& db_;
    compute::Driver& driver_;
    std::map<std::int64_t, Seen> seen_;
};

}  // namespace linnet::stats
