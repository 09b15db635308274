// The hosts aggregate: hosts (compute machines, real or the sim driver's virtual ones),
// host_regions (the regions each serves, or '*': every region), host_outages (what a lost
// host's Linodes were doing) and host_migrations (moves that a drain scheduled). Every statement
// on them, and on the placement column linodes.host_id, lives in host_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::hosts {

struct Host {
    std::int64_t id = 0;
    std::string name;
    std::string node;    // the worker process that runs it (its --host)
    std::string driver;  // sim | qemu
    std::string uuid;
    std::int64_t vcpus = 0;
    std::int64_t memory = 0;  // MB
    std::int64_t disk = 0;    // MB
    std::int64_t memory_used = 0;
    std::int64_t disk_used = 0;
    std::string state = "active";  // active | draining | lost
    std::int64_t lease_until = 0;  // Unix ms
    std::vector<std::string> regions;
    std::int64_t linodes = 0;  // how many Linodes are placed there (lists only)
};

// A Linode as placement sees it: where it is and what its plan takes.
// Which hosts a placement may choose from (a placement group's rule): not `except`, none of
// `avoid`, and `only` when given.
struct Choice {
    std::int64_t except = 0;
    std::vector<std::int64_t> avoid;
    std::optional<std::int64_t> only;
    // Whether the chosen host is locked (a write transaction on PostgreSQL) or only read.
    bool lock = true;
};

struct Placed {
    std::int64_t linode_id = 0;
    std::string region;
    std::string status;
    std::int64_t memory = 0;
    std::int64_t disk = 0;
};

struct Outage {
    std::int64_t linode_id = 0;
    std::string status;  // the status the Linode had when its host was lost
};

// Hosts are shared by every account: the repository runs in the system scope.
class HostRepository {
  public:
    explicit HostRepository(store::Transaction& tx) : tx_(tx) {}

    // Adds the host or takes it back under its name: its node, driver, size and regions as
    // given, its lease renewed; a lost host becomes active again, a draining one stays so.
    // Answers its id.
    std::int64_t enrol(const Host& host, const std::string& registered);
    // Renews the lease of every host of `node`; answers how many.
    std::int64_t renew(const std::string& node, std::int64_t lease_until_ms);
    std::optional<Host> find(const std::string& name);
    std::optional<Host> find(std::int64_t id);
    // The driver of a host ("sim", "qemu"), without the rest of it.
    std::optional<std::string> driver_of(std::int64_t id);
    // Announces driver_of's read (Transaction::read_ahead).
    void read_ahead_driver_of(std::int64_t id);
    std::vector<Host> all();
    std::vector<std::int64_t> ids_of_node(const std::string& node);

    // The live, active host of `region` with the most room that still fits `memory` and
    // `disk`, or nullopt. `except` is never chosen. Where rows are locked (PostgreSQL) the host
    // is locked for the transaction: a host another transaction holds is passed over for the
    // next best, and only when every one that fits is held does this wait for one, so that a
    // burst of creates (or a heartbeat renewing every host) never makes a region look full.
    std::optional<Host> roomiest(const std::string& region, std::int64_t memory, std::int64_t disk,
                                 std::int64_t now_ms, std::int64_t except = 0);
    // The same among the hosts the choice allows.
    std::optional<Host> roomiest_of(const std::string& region, std::int64_t memory,
                                    std::int64_t disk, std::int64_t now_ms, const Choice& choice);
    // Adds (or, negative, removes) a plan's share of a host.
    void take(std::int64_t host_id, std::int64_t memory, std::int64_t disk);
    void set_state(std::int64_t host_id, const std::string& state);
    // Marks the host lost if its lease still ran out before `now_ms` (its node may have renewed
    // it since it was read); answers whether it did. The host's row stays locked.
    bool mark_lost(std::int64_t host_id, std::int64_t now_ms);
    // Locks the hosts in the order of their ids, so that two transactions that each need two
    // of them do not wait for each other.
    void lock_in_order(const std::vector<std::int64_t>& host_ids);
    // Hosts whose lease ran out before `now_ms` and that are not yet marked lost.
    std::vector<Host> expired(std::int64_t now_ms);

    // The hosts of other nodes whose lease ran out before `now_ms`, lost or not (no regions).
    std::vector<Host> not_live_of_others(const std::string& node, std::int64_t now_ms);

    // Placement of Linodes.
    std::optional<std::int64_t> host_of(std::int64_t linode_id);
    // The hosts of the Linodes (but `except`) with an interface in the VPC, or in the account's
    // VLAN of that label in the region: the hosts a private network spans.
    std::vector<std::int64_t> hosts_of_vpc(std::int64_t vpc_id, std::int64_t except);
    std::vector<std::int64_t> hosts_of_vlan(std::int64_t account_id, const std::string& region,
                                            const std::string& label, std::int64_t except);
    void place(std::int64_t linode_id, std::int64_t host_id);
    std::vector<Placed> placed_on(std::int64_t host_id);
    // Linodes placed nowhere (made before hosts existed), with their plans.
    std::vector<Placed> unplaced();
    // The Linodes of `node`'s hosts with this status.
    std::vector<std::int64_t> linodes_of_node(const std::string& node, const std::string& status);

    void record_outage(std::int64_t linode_id, std::int64_t host_id, const std::string& status);
    // The outages of `node`'s hosts, which end as they are read.
    std::vector<Outage> end_outages(const std::string& node);

    void schedule_migration(std::int64_t linode_id, std::int64_t from_host,
                            const std::string& scheduled);
    std::int64_t migrations_scheduled(std::int64_t host_id);

  private:
    std::vector<std::string> regions_of(std::int64_t host_id);
    store::Transaction& tx_;
};

}  // namespace linnet::hosts
