// For tests: a job due now, as jobs::enqueue() adds it (answering its id), and the first job due
// on a node, read or claimed as a worker does.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "jobs/job_repository.hpp"
#include "jobs/jobs.hpp"

namespace linnet::jobs {

inline std::int64_t add_job(store::Transaction& tx, const std::string& action,
                            std::optional<std::int64_t> linode_id, std::int64_t event_id,
                            const boost::json::object& payload,
                            std::optional<std::int64_t> volume_id = std::nullopt) {
    return JobRepository(tx).add(action, linode_id, event_id, payload, now_ms(), "x", volume_id);
}

inline std::optional<Job> first_due(store::Transaction& tx, std::int64_t now,
                                    const std::string& node) {
    auto jobs = JobRepository(tx).due(now, node, {}, 1);
    if (jobs.empty()) return std::nullopt;
    return jobs.front();
}

// Claimed as a worker whose driver performs its step outside the transaction: taken, and held
// until now + lease_ms.
inline std::optional<Job> claim_due(store::Transaction& tx, const std::string& node,
                                    std::int64_t now, std::int64_t lease_ms) {
    auto job = first_due(tx, now, node);
    if (!job) return std::nullopt;
    JobRepository repo(tx);
    repo.take(*job);
    repo.hold(*job, node, now + lease_ms);
    return job;
}

}  // namespace linnet::jobs
