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

std::int64_t enqueue(store::Transaction& tx, const std::string& action,
                     std::optional<std::int64_t> linode_id, std::int64_t event_id,
                     const boost::json::object& payload) {
    const std::int64_t id =
        JobRepository(tx).add(action, linode_id, event_id, payload, now_ms(), now_utc());
    // Workers in other processes look at once rather than at their next timer.
    tx.notify(kJobsChannel);
    return id;
}

void cancel_jobs(store::Transaction& tx, std::int64_t linode_id, const std::string& reason) {
    JobRepository jobs(tx);
    for (const auto& job : jobs.active_on(linode_id)) {
        jobs.set_state(job.id, "cancelled");
        if (job.event_id > 0) update_event(tx, job.event_id, "failed", std::nullopt, reason);
    }
}

}  // namespace linnet::jobs
