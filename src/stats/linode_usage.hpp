// A Linode's usage wherever it comes from: what its host measured (qemu), or what the sim driver
// generates for it from its creation on.
#pragma once

#include <cstdint>
#include <vector>

#include "core/month.hpp"
#include "linodes/linode_repository.hpp"
#include "stats/series.hpp"
#include "stats/usage_repository.hpp"

namespace linnet::stats {

// Whether the Linode's host measures it (any driver but sim).
bool measured(store::Transaction& tx, const linodes::Instance& linode);

// Its usage in steps of `step` seconds over [from, to] (the second `to` counts).
std::vector<Usage> linode_usage(store::Transaction& tx, const linodes::Instance& linode,
                                std::int64_t from, std::int64_t to, std::int64_t step);

// Its public transfer in `month`, until `now`.
Transfer linode_transfer(store::Transaction& tx, const linodes::Instance& linode,
                         const Month& month, std::int64_t now);

}  // namespace linnet::stats
