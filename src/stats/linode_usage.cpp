// Measured or generated, by the Linode's host's driver.
#include "stats/linode_usage.hpp"

#include <algorithm>

#include "core/time.hpp"
#include "hosts/host_repository.hpp"

namespace linnet::stats {

namespace {

std::int64_t created_unix(const linodes::Instance& linode) {
    return parse_time(linode.created).value_or(0);
}

}  // namespace

bool measured(store::Transaction& tx, const linodes::Instance& linode) {
    if (!linode.host_id) return false;
    const auto driver = hosts::HostRepository(tx).driver_of(*linode.host_id);
    return driver && *driver != "sim";
}

std::vector<Usage> linode_usage(store::Transaction& tx, const linodes::Instance& linode,
                                std::int64_t from, std::int64_t to, std::int64_t step) {
    if (measured(tx, linode)) return UsageRepository(tx).between(linode.id, from, to, step);
    // The current second counts: a Linode created this second has its first step.
    return generated(linode.id, std::max(from, created_unix(linode)), to + 1, step);
}

Transfer linode_transfer(store::Transaction& tx, const linodes::Instance& linode,
                         const Month& month, std::int64_t now) {
    if (measured(tx, linode)) return UsageRepository(tx).transfer(linode.id, month.name);
    return generated_transfer(linode.id, std::max(month.start, created_unix(linode)),
                              std::min(month.end, now + 1));
}

}  // namespace linnet::stats
