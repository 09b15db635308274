// Draining and activating hosts.
#include "hosts/drain.hpp"

#include "core/time.hpp"
#include "hosts/host_repository.hpp"
#include "hosts/placement.hpp"

namespace linnet::hosts {

namespace {

// The host called `name`, or else the hosts of the node called `name`.
std::vector<std::int64_t> named(HostRepository& hosts, const std::string& name) {
    if (auto host = hosts.find(name)) return {host->id};
    return hosts.ids_of_node(name);
}

}  // namespace

std::optional<Drained> drain(store::Transaction& tx, const std::string& name) {
    HostRepository hosts(tx);
    const auto ids = named(hosts, name);
    if (ids.empty()) return std::nullopt;
    // Every host first, so that no Linode moves onto another host being drained.
    for (auto id : ids) hosts.set_state(id, "draining");
    Drained drained;
    const std::string now = now_utc();
    for (auto id : ids) {
        ++drained.hosts;
        const auto host = hosts.find(id);
        for (const auto& linode : hosts.placed_on(id)) {
            if (host->driver != "sim") {
                hosts.schedule_migration(linode.linode_id, id, now);
                ++drained.scheduled;
            } else if (move(tx, linode, linode.region)) {
                ++drained.moved;
            } else {
                ++drained.stayed;
            }
        }
    }
    return drained;
}

bool activate(store::Transaction& tx, const std::string& name) {
    HostRepository hosts(tx);
    const auto ids = named(hosts, name);
    for (auto id : ids) hosts.set_state(id, "active");
    return !ids.empty();
}

}  // namespace linnet::hosts
