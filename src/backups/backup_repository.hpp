// The Backups aggregate's tables: backups (one row per backup of a Linode, automatic or a
// snapshot), backup_disks and backup_configs (what each holds: the disks copied and the configs
// as they were), and backup_enrollments (the Linodes whose automatic backups are due, and when).
// Every statement on them lives in backup_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::backups {

struct BackupDisk {
    std::int64_t disk_id = 0;  // the disk it was copied from
    std::string label;
    std::int64_t size = 0;  // MB
    std::string filesystem;
    std::optional<std::string> image;  // the image the disk was made from (its kernel on qemu)
};

struct BackupConfig {
    std::string label;
    std::string doc;  // the config as it was; its devices name disks by the ids above
};

struct Backup {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::int64_t linode_id = 0;
    std::string region;
    std::string type = "snapshot";   // auto | snapshot
    std::string status = "pending";  // pending | running | successful | failed
    std::optional<std::string> label;
    std::string created;
    std::string updated;
    std::optional<std::string> finished;
    std::vector<BackupDisk> disks;
    std::vector<BackupConfig> configs;
};

class BackupRepository {
  public:
    explicit BackupRepository(store::Transaction& tx) : tx_(tx) {}
    // A Linode's backups and enrolment go to another account with it.
    void move_linode(std::int64_t linode_id, std::int64_t account_id);

    // Inserts the backup with its disks and configs into the Linode's account; answers its id.
    std::int64_t insert(const Backup& b, std::int64_t account_id);
    // A backup of the scope's account (its disks and configs too).
    std::optional<Backup> find(std::int64_t id);
    // The Linode's backups, newest first.
    std::vector<Backup> of_linode(std::int64_t linode_id);
    void set_status(std::int64_t id, const std::string& status, bool finished);
    void remove(std::int64_t id);
    void remove_all(std::int64_t linode_id);

    // Automatic backups: the Linode is enrolled, its next one due at `due_unix`.
    void enroll(std::int64_t linode_id, std::int64_t account_id, std::int64_t due_unix);
    void withdraw(std::int64_t linode_id);
    std::optional<std::int64_t> next_due(std::int64_t linode_id);
    // Enrolled Linodes whose backup is due at `now_unix`, at most `limit`, with their accounts.
    std::vector<std::pair<std::int64_t, std::int64_t>> due(std::int64_t now_unix,
                                                           std::int64_t limit);

  private:
    Backup read(const store::Row& row);
    store::Transaction& tx_;
};

// The document GET /linode/instances/{id}/backups/{backupId} answers.
std::string render(const Backup& b);

}  // namespace linnet::backups
