// Commits that share their flushes of SQLite's write-ahead log, and the SQLite store's use of them.
#include "store/sqlite/group_commit.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_database.hpp"

namespace linnet::store {
namespace {

class GroupCommitTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("linnet-group-commit-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        std::ofstream(dir_ / "db-wal") << "frames";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

TEST_F(GroupCommitTest, CommitsThatWaitTogetherShareOneFlush) {
    GroupCommit log(dir_ / "db-wal");
    std::vector<std::uint64_t> tickets;
    for (int i = 0; i < 8; ++i) tickets.push_back(log.committed());
    std::vector<std::thread> waiting;
    for (auto ticket : tickets) waiting.emplace_back([&log, ticket] { log.await(ticket); });
    for (auto& t : waiting) t.join();
    EXPECT_EQ(log.flushes(), 1u);
}

TEST_F(GroupCommitTest, ACommitAfterAFlushWaitsForAnotherAndAnEarlierOneForNone) {
    GroupCommit log(dir_ / "db-wal");
    const auto first = log.committed();
    log.await(first);
    EXPECT_EQ(log.flushes(), 1u);
    const auto second = log.committed();
    log.await(second);
    EXPECT_EQ(log.flushes(), 2u);
    log.await(first);
    EXPECT_EQ(log.flushes(), 2u);
}

TEST_F(GroupCommitTest, ALogReplacedOrRemovedIsNoError) {
    GroupCommit log(dir_ / "db-wal");
    log.await(log.committed());
    // SQLite removes the log once it is copied into the database file, and a later connection
    // makes a new one.
    std::filesystem::remove(dir_ / "db-wal");
    EXPECT_NO_THROW(log.await(log.committed()));
    std::ofstream(dir_ / "db-wal") << "new frames";
    EXPECT_NO_THROW(log.await(log.committed()));
    EXPECT_EQ(log.flushes(), 3u);
}

class SqliteFlushes : public GroupCommitTest {
  protected:
    void TearDown() override {
        ::unsetenv("LINNET_SQLITE_SYNC");
        GroupCommitTest::TearDown();
    }
    static std::int64_t count(Database& db) {
        auto tx = db.begin(Access::read);
        return tx->query("SELECT COUNT(*) AS n FROM notes").at(0).integer("n");
    }
};

TEST_F(SqliteFlushes, AWriteReturnsAfterAFlushAndAWriterThatChangedNothingWaitsForNone) {
    SqliteDatabase db(dir_ / "linnet.db");
    ASSERT_NE(db.group_commit(), nullptr);
    {
        auto tx = db.begin(Access::write);
        // Each commit leaves the flush of the log to the group.
        EXPECT_EQ(tx->query("PRAGMA synchronous").at(0).integer("synchronous"), 1);
        tx->execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
        tx->commit();
    }
    const auto before = db.group_commit()->flushes();
    {
        auto tx = db.begin(Access::write);
        tx->execute("INSERT INTO notes (body) VALUES ('kept')");
        tx->commit();
    }
    EXPECT_EQ(db.group_commit()->flushes(), before + 1);
    {
        auto tx = db.begin(Access::write);
        tx->query("SELECT COUNT(*) AS n FROM notes");
        tx->execute("UPDATE notes SET body = 'none' WHERE id = 99");
        tx->commit();
    }
    EXPECT_EQ(db.group_commit()->flushes(), before + 1);
    EXPECT_EQ(count(db), 1);
}

TEST_F(SqliteFlushes, TheLogFlushedIsTheOneSqliteWritesThroughALink) {
    std::filesystem::create_directories(dir_ / "real");
    std::ofstream(dir_ / "real" / "linnet.db").close();
    std::filesystem::create_symlink(dir_ / "real" / "linnet.db", dir_ / "link.db");
    SqliteDatabase db(dir_ / "link.db");
    {
        auto tx = db.begin(Access::write);
        tx->execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
        tx->execute("INSERT INTO notes (body) VALUES ('kept')");
        tx->commit();
    }
    EXPECT_TRUE(std::filesystem::exists(db.group_commit()->log()));
    EXPECT_EQ(std::filesystem::canonical(db.group_commit()->log()),
              std::filesystem::canonical(dir_ / "real" / "linnet.db-wal"));
}

TEST_F(SqliteFlushes, WritersOnManyThreadsLoseNothing) {
    SqliteDatabase db(dir_ / "linnet.db");
    {
        auto tx = db.begin(Access::write);
        tx->execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
        tx->commit();
    }
    const auto before = db.group_commit()->flushes();
    std::vector<std::thread> writers;
    for (int w = 0; w < 8; ++w)
        writers.emplace_back([&db] {
            for (int i = 0; i < 25; ++i) {
                auto tx = db.begin(Access::write);
                tx->execute("INSERT INTO notes (body) VALUES ('x')");
                tx->commit();
            }
        });
    for (auto& t : writers) t.join();
    EXPECT_EQ(count(db), 200);
    EXPECT_GE(db.group_commit()->flushes(), before + 1);
}

TEST_F(SqliteFlushes, NormalLeavesTheFlushesToTheCheckpoints) {
    ::setenv("LINNET_SQLITE_SYNC", "normal", 1);
    SqliteDatabase db(dir_ / "linnet.db");
    EXPECT_EQ(db.group_commit(), nullptr);
}

}  // namespace
}  // namespace linnet::store
