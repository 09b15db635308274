// SQLite behind the store interface: WAL mode, a pool of connections each with its statement
// cache, BEGIN IMMEDIATE for writes so that writers queue instead of failing.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/sqlite/group_commit.hpp"

struct sqlite3;

namespace linnet::store {

class SqliteConnection;

class SqliteDatabase : public Database {
  public:
    explicit SqliteDatabase(std::filesystem::path path);
    ~SqliteDatabase() override;

    std::unique_ptr<Transaction> begin(Access access) override;
    Dialect dialect() const override { return Dialect::sqlite; }
    // Measures again (ANALYZE, sampled) the tables whose rows grew by half since they were last
    // measured: a planner without statistics reads a whole account's Linodes for a tag's page.
    int refresh_statistics() override;

    std::unique_ptr<SqliteConnection> acquire();
    void release(std::unique_ptr<SqliteConnection> connection);
    // Writers of this process queue here rather than in SQLite's busy handler, which sleeps.
    std::mutex& writer() { return writer_; }
    // Where commits wait for the disk; none with LINNET_SQLITE_SYNC=normal.
    GroupCommit* group_commit() { return group_commit_.get(); }

  private:
    std::filesystem::path path_;
    std::mutex mutex_;
    std::mutex writer_;
    std::vector<std::unique_ptr<SqliteConnection>> idle_;
    // The largest rowid of each table when it was last measured (the heartbeat's thread only).
    std::map<std::string, std::int64_t> measured_at_;
    // Moved on by each round of measuring; a connection behind it is replaced by a new one.
    std::atomic<std::int64_t> statistics_generation_{0};
    std::unique_ptr<GroupCommit> group_commit_;
};

}  // namespace linnet::store
