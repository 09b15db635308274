// For tests of hosts: a store with the catalog loaded, a user, and helpers that enrol hosts and
// add Linodes placed on them.
#pragma once

#include <string>

#include "catalog/catalog.hpp"
#include "core/clock.hpp"
#include "hosts/host_repository.hpp"
#include "linodes/instances.hpp"
#include "store/temp_store.hpp"

namespace linnet::hosts {

constexpr std::int64_t kNow = 1'800'000'000'000;

class HostsFixture {
  protected:
    explicit HostsFixture(const std::string& name) : store_(name) {
        clock::freeze(clock::TimePoint(std::chrono::milliseconds(kNow)));
        catalog::load(tx());
        tx().execute(
            "INSERT INTO users (id, account_id, username, email, profile, created) VALUES (1, ?, "
            "'u', 'u@example.com', '{}', 'x')",
            {store_.account_id()});
    }
    ~HostsFixture() { clock::reset(); }
    store::Transaction& tx() { return store_.tx(); }
    // The catalog document of the smallest plan, as a create passes it to placement.
    boost::json::object nanode() { return *linodes::find_type(tx(), "g6-nanode-1"); }

    // Enrols a host of `node` in `region` with `memory` MB, live until kNow + lease_ms.
    std::int64_t host(const std::string& name, const std::string& node, const std::string& region,
                      std::int64_t memory, const std::string& driver = "sim",
                      std::int64_t lease_ms = 30'000) {
        Host h;
        h.name = name;
        h.node = node;
        h.driver = driver;
        h.uuid = "uuid-" + name;
        h.vcpus = 8;
        h.memory = memory;
        h.disk = 1'000'000;
        h.lease_until = kNow + lease_ms;
        h.regions = {region};
        return HostRepository(tx()).enrol(h, "x");
    }
    // Adds a g6-nanode-1 Linode (1024 MB) in `region` placed on `host_id` with its share taken.
    std::int64_t linode(const std::string& label, const std::string& region, std::int64_t host_id,
                        const std::string& status = "running") {
        const std::int64_t id =
            tx().query(
                    "INSERT INTO linodes (account_id, user_id, label, region, type, status, "
                    "created, updated, host_id) VALUES (?, 1, ?, ?, 'g6-nanode-1', ?, 'x', 'x', "
                    "?) RETURNING id",
                    {store_.account_id(), label, region, status, host_id})
                .at(0)
                .integer("id");
        tx().execute("INSERT INTO linode_docs (linode_id, settings, doc) VALUES (?, ?, '{}')",
                     {id, std::string(R"({"host_uuid":"x","specs":{},"alerts":{},"backups":{},)"
                                      R"("watchdog_enabled":true,"has_user_data":false,)"
                                      R"("disk_encryption":"disabled"})")});
        HostRepository(tx()).take(host_id, 1024, 25600);
        return id;
    }
    store::TempStore store_;
};

}  // namespace linnet::hosts
