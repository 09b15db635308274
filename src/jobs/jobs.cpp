// Jobs as the other modules add and cancel them, kept by the job repository.
#include "jobs/jobs.hpp"

#include "core/clock.hpp"
#include "core/time.hpp"
#include "jobs/events.hpp"
#include "jobs/job_repository.hpp"

namespace linnet::jobs {

std::int64_t now_ms() {
    return clock::unix_ms();
}

void enqueue(store::Transaction& tx, const std::string& action,
             std::optional<std::int64_t> linode_id, std::int64_t event_id,
             const boost::json::object& payload, std::optional<std::int64_t> volume_id) {
    JobRepository(tx).queue(action, linode_id, event_id, payload, now_ms(), now_utc(), volume_id);
    // Workers in other processes look at once rather than at their next timer.
    tx.notify(kJobsChannel);
}

void cancel_jobs(store::Transaction& tx, std::int64_t linode_id, const std::string& reason) {
    JobRepository jobs(tx);
    for (const auto& job : jobs.active_on(linode_id)) {
        jobs.set_state(job.id, "cancelled");
        fail_events(tx, job, reason);
    }
}

namespace {
std::int64_t boot_event_of(const Job& job) {
    const auto* boot = job.payload.if_contains(kBootEvent);
    return boot && boot->is_int64() ? boot->as_int64() : 0;
}
}  // namespace

void fail_events(store::Transaction& tx, const Job& job, const std::string& reason) {
    if (job.event_id > 0) update_event(tx, job.event_id, "failed", std::nullopt, reason);
    if (const auto boot = boot_event_of(job); boot > 0 && boot != job.event_id)
        update_event(tx, boot, "failed", std::nullopt, reason);
}

bool boots_with_own_event(const Job& job) {
    const auto boot = boot_event_of(job);
    return boot > 0 && boot != job.event_id;
}

void start_boot_event(store::Transaction& tx, Job& job, bool hold_start) {
    if (!boots_with_own_event(job)) return;
    const auto boot = boot_event_of(job);
    if (job.event_id > 0) update_event(tx, job.event_id, "finished", 100);
    job.event_id = boot;
    job.event_start_unwritten = hold_start;
    if (!hold_start) update_event(tx, boot, "started", 0);
}

boost::json::object without_secrets(boost::json::object payload) {
    payload.erase("root_hash");
    payload.erase("stackscript");
    return payload;
}

}  // namespace linnet::jobs
