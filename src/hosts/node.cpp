// A node's hosts: measured (qemu) or made up (sim), and enrolled.
#include "hosts/node.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <thread>

#include "auth/token.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/time.hpp"
#include "hosts/placement.hpp"

namespace linnet::hosts {

namespace {

constexpr std::int64_t kMiB = 1024 * 1024;

Host machine_host(const NodeOptions& o) {
    Host h;
    h.name = o.node;
    h.node = o.node;
    h.driver = o.driver;
    h.vcpus = std::max(1u, std::thread::hardware_concurrency());
    h.memory = static_cast<std::int64_t>(::sysconf(_SC_PHYS_PAGES)) *
               static_cast<std::int64_t>(::sysconf(_SC_PAGE_SIZE)) / kMiB;
    struct statvfs fs {};
    if (::statvfs(o.data.empty() ? "." : o.data.c_str(), &fs) == 0)
        h.disk = 4 * static_cast<std::int64_t>(fs.f_blocks) *
                 static_cast<std::int64_t>(fs.f_frsize) / kMiB;
    h.regions = o.regions;
    return h;
}

}  // namespace

std::vector<Host> hosts_of_node(store::Transaction& tx, const NodeOptions& o,
                                std::int64_t lease_until_ms) {
    std::vector<Host> out;
    if (o.driver != "sim") {
        out.push_back(machine_host(o));
    } else {
        for (const auto& region : catalog::CatalogRepository(tx).all_region_capabilities()) {
            if (!region.has("Linodes")) continue;
            for (unsigned i = 1; i <= o.sim_hosts; ++i) {
                Host h;
                h.name = o.node + "/" + region.id + "/" + std::to_string(i);
                h.node = o.node;
                h.driver = o.driver;
                h.vcpus = 256;
                h.memory = 4 * 1024 * 1024;
                h.disk = 256 * 1024 * 1024;
                h.regions = {region.id};
                out.push_back(std::move(h));
            }
        }
    }
    for (auto& h : out) {
        h.uuid = auth::random_hex(20);  // kept only by a host's first enrolment
        h.lease_until = lease_until_ms;
    }
    return out;
}

void enrol(store::Transaction& tx, const std::vector<Host>& hosts) {
    HostRepository repository(tx);
    const std::string now = now_utc();
    for (const auto& h : hosts) repository.enrol(h, now);
    for (const auto& linode : repository.unplaced()) move(tx, linode, linode.region);
}

int take_over_strays(store::Transaction& tx, const std::string& node, std::int64_t now_ms) {
    HostRepository hosts(tx);
    int moved = 0;
    for (const auto& host : hosts.not_live_of_others(node, now_ms)) {
        hosts.set_state(host.id, "lost");
        for (const auto& linode : hosts.placed_on(host.id))
            if (move(tx, linode, linode.region)) ++moved;
    }
    return moved;
}

}  // namespace linnet::hosts
