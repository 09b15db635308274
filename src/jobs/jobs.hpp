// Jobs: every action on a Linode is a persisted job that workers run step by step. A job
// survives a crash: after a restart the step it was in runs again and the job goes on.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace linnet::jobs {

struct Job {
    std::int64_t id = 0;
    std::optional<std::int64_t> linode_id;
    std::string action;  // the event action it carries out, e.g. "linode_boot"
    int step = 0;
    std::int64_t event_id = 0;
    boost::json::object payload;
    // The token of the claim this copy was taken under; the store's changes after a step count
    // only while the job still carries it.
    std::int64_t lease_token = 0;
    // The event's start is held back: a transaction that performs the job's steps in place
    // writes it only if the event does not end in that same transaction.
    bool event_start_unwritten = false;
};

// The channel on which a new job (or a Linode moved to another host) wakes the workers of every
// process on the database.
inline constexpr const char* kJobsChannel = "linnet_jobs";

// Adds a job that is due now and signals the workers. The insert travels with the
// transaction's next statement (Transaction::write).
void enqueue(store::Transaction& tx, const std::string& action,
             std::optional<std::int64_t> linode_id, std::int64_t event_id,
             const boost::json::object& payload,
             std::optional<std::int64_t> volume_id = std::nullopt);

// Cancels the active jobs of a Linode; their events fail with the reason.
void cancel_jobs(store::Transaction& tx, std::int64_t linode_id, const std::string& reason);

// The event of the boot that a job will do once it has done its own part (a create that boots:
// its boot is an event of its own, scheduled with the create), kept in the job's payload.
inline constexpr const char* kBootEvent = "boot_event_id";
// The job's events end as failed with the reason: its own and the boot it had yet to start.
void fail_events(store::Transaction& tx, const Job& job, const std::string& reason);
// When the job's next step boots and the boot has an event of its own: the job's event finishes,
// the boot's starts and is the job's from now on (the caller writes the job's row). With
// `hold_start`, the boot event's start is left to the caller (Job::event_start_unwritten).
void start_boot_event(store::Transaction& tx, Job& job, bool hold_start = false);
// True when the job's boot has an event of its own that is not yet the job's.
bool boots_with_own_event(const Job& job);

std::int64_t now_ms();

// A finished job keeps no secret: its payload without the root password's hash and a
// StackScript's values (with its script).
boost::json::object without_secrets(boost::json::object payload);

}  // namespace linnet::jobs
