// A host's share of NodeBalancers: the balancers placed on its hosts, read from the store and
// handed to its driver at every look (a change wakes the worker; the heartbeat looks every two
// seconds too); then what the load balancer found is written back: each node's status where it
// changed, and what each NodeBalancer carried into its five-minute bucket.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>

#include "compute/driver.hpp"
#include "store/database.hpp"

namespace linnet::nodebalancers {

class Keeper {
  public:
    Keeper(store::Database& db, compute::Driver& driver) : db_(db), driver_(driver) {}

    // False when the driver could not serve them all.
    bool sync(const std::string& node, std::int64_t now_ms);
    // Whether the last look served every NodeBalancer (for /healthz).
    bool serving() const { return serving_; }

  private:
    store::Database& db_;
    compute::Driver& driver_;
    // The statuses last written, by node id, and the counters last read, by config id.
    std::map<std::int64_t, std::string> written_;
    std::map<std::int64_t, PortCounters> counted_;
    // The bucket each NodeBalancer last had a sample written in.
    std::map<std::int64_t, std::int64_t> sampled_;
    std::atomic<bool> serving_{true};
};

}  // namespace linnet::nodebalancers
