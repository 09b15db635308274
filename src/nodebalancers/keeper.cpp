// Handing a host's NodeBalancers to its driver, and recording what its load balancer found.
#include "nodebalancers/keeper.hpp"

#include "jobs/jobs.hpp"
#include "nodebalancers/nodebalancer_repository.hpp"

namespace linnet::nodebalancers {

namespace {

constexpr std::int64_t kBucketMs = 5 * 60 * 1000;

}  // namespace

bool Keeper::sync(const std::string& node, std::int64_t now_ms) {
    std::vector<Balancer> balancers;
    {
        auto tx = db_.begin_in(store::Access::read, store::Scope::system());
        balancers = NodeBalancerRepository(*tx).served_on_node(node);
        tx->commit();
    }
    const bool served = driver_.serve_nodebalancers(balancers);
    serving_ = served;
    const Health health = driver_.nodebalancer_health();
    // A driver that serves nothing (the sim driver) reports nothing, and nothing is recorded.
    if (health.nodes.empty() && health.ports.empty()) return served;

    std::map<std::int64_t, std::string> statuses;
    std::map<std::int64_t, Sample> samples;
    const std::int64_t bucket = now_ms / kBucketMs * kBucketMs;
    for (const auto& b : balancers) {
        for (const auto& port : b.ports) {
            // Every node of the config, including those at an address no Linode has (which
            // the balancer never reaches), gets the status the balancer gives it.
            for (const auto& n : port.nodes) {
                const auto it = health.nodes.find(n.node_id);
                statuses[n.node_id] = it == health.nodes.end() ? "DOWN" : it->second.status;
            }
            const auto counted = health.ports.find(port.config_id);
            if (counted == health.ports.end()) continue;
            const PortCounters now = counted->second;
            const auto before = counted_.find(port.config_id);
            PortCounters delta = now;
            // A counter that went back is a balancer that started again: it counts from zero.
            if (before != counted_.end() && now.connections >= before->second.connections &&
                now.bytes_in >= before->second.bytes_in &&
                now.bytes_out >= before->second.bytes_out) {
                delta.connections -= before->second.connections;
                delta.bytes_in -= before->second.bytes_in;
                delta.bytes_out -= before->second.bytes_out;
            }
            counted_[port.config_id] = now;
            auto& s = samples[b.id];
            s.at = bucket;
            s.connections += static_cast<double>(delta.connections);
            s.bytes_in += static_cast<double>(delta.bytes_in);
            s.bytes_out += static_cast<double>(delta.bytes_out);
        }
    }
    // A bucket is written when something was carried, and once per bucket for each balancer
    // served, so that an idle one has statistics of its own.
    for (auto it = samples.begin(); it != samples.end();) {
        const auto& s = it->second;
        const bool carried = s.connections > 0 || s.bytes_in > 0 || s.bytes_out > 0;
        const auto last = sampled_.find(it->first);
        if (!carried && last != sampled_.end() && last->second == bucket)
            it = samples.erase(it);
        else
            ++it;
    }
    std::map<std::int64_t, std::string> changed;
    for (const auto& [id, status] : statuses) {
        const auto it = written_.find(id);
        if (it == written_.end() || it->second != status) changed[id] = status;
    }
    if (changed.empty() && samples.empty()) return served;
    auto tx = db_.begin_in(store::Access::write, store::Scope::system());
    NodeBalancerRepository repo(*tx);
    repo.set_statuses(changed);
    repo.add_samples(samples);
    tx->commit();
    for (const auto& [id, status] : changed) written_[id] = status;
    for (const auto& [id, s] : samples) sampled_[id] = s.at;
    return served;
}

}  // namespace linnet::nodebalancers
