// Turning counter readings into usage rows.
#include "stats/sampler.hpp"

#include <cstdlib>
#include <ctime>
#include <set>

#include "core/month.hpp"
#include "linodes/disk_repository.hpp"
#include "linodes/linode_repository.hpp"
#include "stats/usage_repository.hpp"

namespace linnet::stats {

namespace {

// Retention of the buckets: a year and a month, for /stats/{year}/{month}.
constexpr std::int64_t kKeepSeconds = 400LL * 86400;

double since(double now, double before) {
    return now >= before ? now - before : now;
}

}  // namespace

std::int64_t Sampler::interval_ms() {
    if (const char* v = std::getenv("LINNET_STATS_INTERVAL_MS"); v != nullptr && std::atoll(v) > 0)
        return std::atoll(v);
    return 60000;
}

void Sampler::sample(std::int64_t now_ms) {
    auto readings = driver_.counters();
    if (readings.empty() && seen_.empty()) return;
    std::map<std::int64_t, Seen> next;
    auto tx = db_.begin_in(store::Access::write, store::Scope::system());
    UsageRepository usage(*tx);
    const std::int64_t now = now_ms / 1000;
    for (auto& [linode_id, counters] : readings) {
        next[linode_id] = {now_ms, counters};
        const auto before = seen_.find(linode_id);
        if (before == seen_.end() || now_ms <= before->second.at_ms) continue;
        if (!linodes::LinodeRepository(*tx).exists(linode_id)) continue;
        const auto& old = before->second.counters;
        std::set<std::string> swap;
        for (const auto& disk : linodes::DiskRepository(*tx).of_linode(linode_id))
            if (disk.filesystem == "swap") swap.insert("disk" + std::to_string(disk.id));
        Usage u;
        u.at = now - now % kBucketSeconds;
        u.seconds = static_cast<double>(now_ms - before->second.at_ms) / 1000;
        u.cpu_seconds = since(counters.cpu_seconds, old.cpu_seconds);
        for (const auto& [drive, bytes] : counters.drive_bytes) {
            const auto prior = old.drive_bytes.find(drive);
            const double used = since(bytes, prior == old.drive_bytes.end() ? 0 : prior->second);
            (swap.count(drive) ? u.swap_bytes : u.io_bytes) += used;
        }
        if (counters.net_in && old.net_in) u.net_in = since(*counters.net_in, *old.net_in);
        if (counters.net_out && old.net_out) u.net_out = since(*counters.net_out, *old.net_out);
        usage.add(linode_id, u, month_at(now).name);
    }
    usage.forget_before(now - kKeepSeconds);
    tx->commit();
    seen_ = std::move(next);
}

}  // namespace linnet::stats
