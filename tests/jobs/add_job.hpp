// A job due now, as jobs::enqueue() adds it, for tests that need its id.
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

}  // namespace linnet::jobs
