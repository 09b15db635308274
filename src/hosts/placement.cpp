// Choosing hosts and keeping their sums.
#include "hosts/placement.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "linodes/instances.hpp"

namespace linnet::hosts {

Size size_of(const boost::json::object& type) {
    return {type.at("memory").to_number<std::int64_t>(), type.at("disk").to_number<std::int64_t>()};
}

Size size_of_type(store::Transaction& tx, const std::string& type) {
    auto doc = linodes::find_type(tx, type);
    if (!doc) return {};
    return size_of(*doc);
}

Host place(store::Transaction& tx, const std::string& region, const boost::json::object& type) {
    const Size size = size_of(type);
    HostRepository hosts(tx);
    auto host = hosts.roomiest(region, size.memory, size.disk, clock::unix_ms());
    if (!host)
        throw errors::invalid({{"No host in region " + region + " has room for a " +
                                    std::string(type.at("id").as_string()) + " Linode right now",
                                "region"}});
    hosts.take(host->id, size.memory, size.disk);
    return *host;
}

std::optional<Host> place_among(store::Transaction& tx, const std::string& region,
                                const boost::json::object& type, const Choice& choice) {
    const Size size = size_of(type);
    HostRepository hosts(tx);
    auto host = hosts.roomiest_of(region, size.memory, size.disk, clock::unix_ms(), choice);
    if (host) hosts.take(host->id, size.memory, size.disk);
    return host;
}

void release(store::Transaction& tx, std::int64_t linode_id, const std::string& type) {
    HostRepository hosts(tx);
    auto host = hosts.host_of(linode_id);
    if (!host) return;
    const Size size = size_of_type(tx, type);
    hosts.take(*host, -size.memory, -size.disk);
}

void resize(store::Transaction& tx, std::int64_t linode_id, const std::string& from_type,
            const std::string& to_type) {
    HostRepository hosts(tx);
    auto host = hosts.host_of(linode_id);
    if (!host) return;
    const Size from = size_of_type(tx, from_type), to = size_of_type(tx, to_type);
    hosts.take(*host, to.memory - from.memory, to.disk - from.disk);
}

bool move(store::Transaction& tx, const Placed& linode, const std::string& region) {
    HostRepository hosts(tx);
    const auto from = hosts.host_of(linode.linode_id);
    // The destination is chosen by reading, then both hosts are locked in the order of their
    // ids (two moves in opposite directions would otherwise each hold one and wait for the
    // other), and the choice is checked again under the lock.
    const std::int64_t now = clock::unix_ms();
    Choice choice{from.value_or(0), {}, std::nullopt, false};
    auto to = hosts.roomiest_of(region, linode.memory, linode.disk, now, choice);
    if (!to) return false;
    std::vector<std::int64_t> both{to->id};
    if (from) both.push_back(*from);
    hosts.lock_in_order(both);
    choice.only = to->id;
    if (!hosts.roomiest_of(region, linode.memory, linode.disk, now, choice)) return false;
    if (from) hosts.take(*from, -linode.memory, -linode.disk);
    hosts.take(to->id, linode.memory, linode.disk);
    hosts.place(linode.linode_id, to->id);
    if (auto instance = linodes::find(tx, linode.linode_id)) {
        instance->settings["host_uuid"] = to->uuid;
        linodes::save(tx, *instance);
    }
    return true;
}

}  // namespace linnet::hosts
