// The jobs table: every statement on it lives in job_repository.cpp. A job is "active" until it
// is done, failed or cancelled; an active job is due once its run_after (Unix milliseconds) has
// come.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jobs/jobs.hpp"
#include "store/database.hpp"

namespace linnet::jobs {

class JobRepository {
  public:
    explicit JobRepository(store::Transaction& tx) : tx_(tx) {}

    // Adds an active job at step 0, due at run_after_ms; answers its id. A volume's job names
    // the volume.
    std::int64_t add(const std::string& action, std::optional<std::int64_t> linode_id,
                     std::int64_t event_id, const boost::json::object& payload,
                     std::int64_t run_after_ms, const std::string& created,
                     std::optional<std::int64_t> volume_id = std::nullopt);
    // add() without the id: the insert goes with the transaction's next statement.
    void queue(const std::string& action, std::optional<std::int64_t> linode_id,
               std::int64_t event_id, const boost::json::object& payload, std::int64_t run_after_ms,
               const std::string& created, std::optional<std::int64_t> volume_id = std::nullopt);
    // An active job works on the volume.
    bool volume_busy(std::int64_t volume_id);

    // The active job `id`, or nullopt once it is no longer active.
    std::optional<Job> find_active(std::int64_t id);
    // The active jobs of a Linode, oldest first.
    std::vector<Job> active_on(std::int64_t linode_id);
    // The active job of a Linode for one action (e.g. its "linode_create"), if any.
    std::optional<Job> find_active_on(std::int64_t linode_id, const std::string& action);
    bool has_active(std::int64_t linode_id);
    // Whether a job still runs for the account (on its Linodes, or for an event of its).
    bool any_active_for_account(std::int64_t account_id);
    bool has_active(std::int64_t linode_id, const std::string& action);
    // The Linodes that active jobs hold, by id.
    std::vector<std::int64_t> linodes_with_active_jobs();

    // The first `limit` active jobs that `node` may run due at `now_ms` (by run_after, then
    // id), read (and on PostgreSQL locked) at once. A node runs the jobs of the Linodes placed
    // on its hosts, and jobs of no Linode. Jobs in `skip` are passed over.
    std::vector<Job> due(std::int64_t now_ms, const std::string& node,
                         const std::vector<std::int64_t>& skip, int limit);
    // Takes `job`, which due() read and locked in this transaction (SQLite: a write
    // transaction, which no other writer interleaves), under a new lease token that `job` then
    // carries. Nothing is written yet: whichever of hold(), put_back() or close() ends the job's
    // part in the transaction writes the claim with the rest of the row, in one statement.
    void take(Job& job);
    // The taken job stays `worker`'s until lease_until_ms, at its step and event.
    void hold(const Job& job, const std::string& worker, std::int64_t lease_until_ms);
    // The taken (or held) job goes back to the queue at its step and event, due at run_after_ms.
    void put_back(const Job& job, std::int64_t run_after_ms);
    // True while the job is active and still carries the copy's lease token (fencing: a worker
    // that lost its claim records nothing).
    bool holds(const Job& job);
    // The job as stored (its payload may have changed), while the copy still holds it: holds()
    // and find_active() in one read.
    std::optional<Job> find_held(const Job& job);
    // Extends the leases of `ids` that `worker` still holds; answers how many. A worker renews
    // only the jobs it is working on: one it let go of (its step could not be recorded) runs
    // out and is claimed again.
    std::int64_t renew(const std::string& worker, const std::vector<std::int64_t>& ids,
                       std::int64_t lease_until_ms);
    // Gives back every job `worker` holds (its previous run, which stopped or crashed).
    std::int64_t release_all_of(const std::string& worker);
    // When the next active job of `node` is due, or nullopt when none is active.
    std::optional<std::int64_t> next_due(const std::string& node);

    // The held job is at its step and event.
    void set_step(const Job& job);
    void set_payload(std::int64_t id, const boost::json::object& payload);
    void set_state(std::int64_t id, const std::string& state);
    // Ends a job in `state` ("done", "failed") with the payload it keeps, at the step and event
    // the copy reached.
    void close(const Job& job, const std::string& state, const boost::json::object& payload);
    // Every job of a Linode for one action, whatever its state, passes to `state`.
    void set_state_on(std::int64_t linode_id, const std::string& action, const std::string& state);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::jobs
