// Marking lost hosts and what becomes of their Linodes.
#include "hosts/reaper.hpp"

#include <spdlog/spdlog.h>

#include "hosts/host_repository.hpp"
#include "hosts/placement.hpp"
#include "jobs/events.hpp"
#include "jobs/job_repository.hpp"
#include "jobs/jobs.hpp"
#include "linodes/completion.hpp"
#include "linodes/instances.hpp"
#include "nodebalancers/nodebalancer_repository.hpp"

namespace linnet::hosts {

namespace {

// The Linode's active jobs fail: their effect so far is undone as after any failure.
void fail_jobs(store::Transaction& tx, std::int64_t linode_id, const std::string& message) {
    jobs::JobRepository jobs(tx);
    for (const auto& job : jobs.active_on(linode_id)) {
        linodes::abandon(tx, job);
        if (job.event_id) jobs::update_event(tx, job.event_id, "failed", std::nullopt, message);
        jobs.close(job, "failed", jobs::without_secrets(job.payload));
    }
}

void strand(store::Transaction& tx, const Host& host, const Placed& placed) {
    const std::string why = "The Linode's host " + host.name + " stopped answering.";
    HostRepository(tx).record_outage(placed.linode_id, host.id, placed.status);
    fail_jobs(tx, placed.linode_id, why);
    auto linode = linodes::find(tx, placed.linode_id);
    if (!linode || linode->status == "offline") return;
    linodes::set_status(tx, linode->id, "offline");
    jobs::record_event(tx, {"linode_shutdown", jobs::linode_entity(linode->id, linode->label),
                            std::nullopt, "notification", linode->user_id, "", why});
}

}  // namespace

Reaped reap_lost_hosts(store::Transaction& tx, std::int64_t now_ms) {
    Reaped reaped;
    HostRepository hosts(tx);
    for (const auto& host : hosts.expired(now_ms)) {
        // Read without a lock: the host is lost only if its node has not renewed it since.
        if (!hosts.mark_lost(host.id, now_ms)) continue;
        ++reaped.hosts;
        for (const auto& linode : hosts.placed_on(host.id)) {
            if (host.driver == "sim" && move(tx, linode, linode.region)) {
                ++reaped.moved;
                continue;
            }
            ++reaped.stranded;
            if (host.driver != "sim") strand(tx, host, linode);
        }
        // Its NodeBalancers are served by the load balancer of another live host of their
        // region from the next look of that host's worker (their addresses go with them).
        nodebalancers::NodeBalancerRepository balancers(tx);
        int balancers_moved = 0;
        for (const auto& [id, region] : balancers.placed_on(host.id))
            if (auto to = hosts.roomiest(region, 0, 0, now_ms, host.id)) {
                balancers.place(id, to->id);
                ++balancers_moved;
            }
        reaped.nodebalancers += balancers_moved;
        spdlog::warn(
            "host {} (node {}) is lost: {} Linode(s) moved, {} stranded, {} "
            "NodeBalancer(s) moved",
            host.name, host.node, reaped.moved, reaped.stranded, balancers_moved);
    }
    return reaped;
}

}  // namespace linnet::hosts
