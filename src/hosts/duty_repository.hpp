// Cluster-wide duties (watching hosts, later DNS and scheduled work): each runs in exactly one
// process at a time, the holder of its lease in the duties table.
#pragma once

#include <cstdint>
#include <string>

#include "store/database.hpp"

namespace linnet::hosts {

class DutyRepository {
  public:
    explicit DutyRepository(store::Transaction& tx) : tx_(tx) {}

    // Takes or renews the duty for `holder` until `lease_until_ms`; false while another holder's
    // lease runs (at `now_ms`).
    bool hold(const std::string& duty, const std::string& holder, std::int64_t now_ms,
              std::int64_t lease_until_ms);
    // Gives the duty up, if `holder` has it.
    void give_up(const std::string& duty, const std::string& holder);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::hosts
