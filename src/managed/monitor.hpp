// The checks of Managed services: each service not disabled is probed when it is due (every
// `interval`, LINNET_MANAGED_INTERVAL_SECONDS, default 60), one at a time, outside any
// transaction. A failed check makes the service `problem` and opens an issue with a support
// ticket (unless one is open); a check that passes makes it `ok` and resolves its open issue,
// answering and closing the ticket. One process of a cluster checks at a time: the holder of the
// hosts duty.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "store/database.hpp"

namespace linnet::managed {

class Monitor {
  public:
    explicit Monitor(store::Database& db) : db_(db) {}

    // Whether services at loopback addresses are checked (loopback networking, the sim driver).
    void allow_loopback(bool allowed) { loopback_ = allowed; }

    static std::chrono::seconds interval();
    // Checks the services due at `now`; answers how many were checked. A check under way when
    // `stopping` turns true ends, and records nothing.
    int check_due(std::int64_t now, const std::atomic<bool>& stopping);

  private:
    store::Database& db_;
    std::atomic<bool> loopback_ = false;
};

}  // namespace linnet::managed
