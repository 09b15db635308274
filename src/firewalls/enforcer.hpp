// A host's share of Cloud Firewalls: the rules in force for the Linodes placed on its hosts, read
// from the store and handed to its driver, which writes them when they changed or were not all
// in force (a firewall's change wakes the worker; the heartbeat looks every two seconds too).
#pragma once

#include <string>

#include "compute/driver.hpp"
#include "store/database.hpp"

namespace linnet::firewalls {

class Enforcer {
  public:
    Enforcer(store::Database& db, compute::Driver& driver) : db_(db), driver_(driver) {}

    // Reads the rules for the Linodes of `node` and gives them to the driver; false when the
    // driver could not put them all in force.
    bool sync(const std::string& node);

  private:
    store::Database& db_;
    compute::Driver& driver_;
};

}  // namespace linnet::firewalls
