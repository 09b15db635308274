// Backups of a Linode: enabling and cancelling the service, manual snapshots (one kept, the
// newest), automatic backups taken daily in the Linode's window (the three newest kept), and
// restoring one to the same or another Linode of the region, over its disks or beside them.
// Each is a job of the Linode (linode_snapshot, backups_restore); the driver copies the disks.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backups/backup_repository.hpp"
#include "linodes/instances.hpp"
#include "store/database.hpp"

namespace linnet::backups {

inline constexpr int kAutomaticKept = 3;

struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

// When the Linode's next automatic backup is due at `now_unix`: now when its window is open,
// else the window's next start (W0 = 00:00-02:00 UTC, ... W22; one the Linode's id picks while
// it is "Scheduling").
std::int64_t next_window(std::int64_t now_unix, const boost::json::object& schedule,
                         std::int64_t linode_id);

void enable(store::Transaction& tx, const Actor& actor, linodes::Instance& linode);
// A new Linode created with backups enabled: its automatic backups are scheduled.
void enroll_new(store::Transaction& tx, const linodes::Instance& linode);
// Disables the service and deletes every backup of the Linode.
void cancel(store::Transaction& tx, const Actor& actor, linodes::Instance& linode);
// The schedule changed: the next automatic backup follows it.
void reschedule(store::Transaction& tx, const linodes::Instance& linode);

// A backup of the Linode as it is now (its disks and configs), `pending` until its
// linode_snapshot job has copied the disks.
Backup begin(store::Transaction& tx, const linodes::Instance& linode, const std::string& type,
             const std::optional<std::string>& label);
// The job copied the disks: the backup is successful and the Linode's last_successful; older
// backups past what is kept go.
void taken(store::Transaction& tx, std::int64_t backup_id);
void failed(store::Transaction& tx, std::int64_t backup_id);
// The ids of the Linode's backups kept once `backup_id` is taken: it, the other type's, and the
// newest automatic ones (`all` newest first).
std::vector<std::int64_t> kept_after(const std::vector<Backup>& all, std::int64_t backup_id);

// Lays the backup's disks and configs on `target` (first removing its own when `overwrite`):
// the disks are `not ready` until the backups_restore job has written them. Answers the job's
// payload: which backup disk goes to which new disk. 400 when they do not fit.
boost::json::object plan_restore(store::Transaction& tx, const Backup& backup,
                                 const linodes::Instance& target, bool overwrite);

// Enqueues the automatic backups that are due (the system scope; at most `limit`), each due
// again a day later; a busy Linode is tried again in a quarter of an hour. Answers how many.
int take_due(store::Transaction& tx, std::int64_t now_unix, std::int64_t limit = 100);

}  // namespace linnet::backups
