// Job rows.
#include "jobs/jobs.hpp"

#include <chrono>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "jobs/events.hpp"

namespace linnet::jobs {

std::int64_t now_ms() {
    return clock::unix_ms();
}

std::int64_t enqueue(store::Transaction& tx, const std::string& action,
                     std::optional<std::int64_t> linode_id, std::int64_t event_id,
                     const boost::json::object& payload) {
    store::SqlValue linode = std::monostate{};
    if (linode_id) linode = *linode_id;
    auto rows = tx.query(
        "INSERT INTO jobs (linode_id, action, state, step, run_after, event_id, payload, created) "
        "VALUES (?, ?, 'active', 0, ?, ?, ?, ?) RETURNING id",
        {linode, action, now_ms(), event_id, to_json(payload), now_utc()});
    return rows.at(0).integer(0);
}

void cancel_jobs(store::Transaction& tx, std::int64_t linode_id, const std::string& reason) {
    for (const auto& row :
         tx.query("SELECT id, event_id FROM jobs WHERE linode_id = ? AND state = 'active'",
                  {linode_id})) {
        tx.execute("UPDATE jobs SET state = 'cancelled' WHERE id = ?", {row.integer(0)});
        if (!row.is_null(1) && row.integer(1) > 0)
            update_event(tx, row.integer(1), "failed", std::nullopt, reason);
    }
}

}  // namespace linnet::jobs
