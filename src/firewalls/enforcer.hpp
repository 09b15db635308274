// A host's share of Cloud Firewalls: the rules in force for the Linodes placed on its hosts, read
// from the store and handed to its driver whenever they change (a firewall's change wakes the
// worker; the heartbeat looks every two seconds too).
#pragma once

#include <string>

#include "compute/driver.hpp"
#include "store/database.hpp"

namespace linnet::firewalls {

class Enforcer {
  public:
    Enforcer(store::Database& db, compute::Driver& driver) : db_(db), driver_(driver) {}

    // Reads the rules for the Linodes of `node` and gives them to the driver when they differ
    // from what it was last given.
    void sync(const std::string& node);

  private:
    store::Database& db_;
    compute::Driver& driver_;
    std::string last_;  // the rules last given, as text
    bool given_ = false;
};

}  // namespace linnet::firewalls
