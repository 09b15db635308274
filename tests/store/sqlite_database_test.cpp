// The SQLite store: migrations, commit and rollback, parameters of every type.
#include "store/sqlite/sqlite_database.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/migrations.hpp"

namespace linnet::store {
namespace {

class SqliteStore : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ =
            std::filesystem::temp_directory_path() / ("linnet-store-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        db_ = open_database("", dir_);
    }
    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    std::filesystem::path dir_;
    std::unique_ptr<Database> db_;
};

TEST_F(SqliteStore, MigrationsApplyOnceAndRecordTheirVersion) {
    EXPECT_EQ(schema_version(*db_), migrations().back().version);
    EXPECT_EQ(migrate(*db_), 0);
    db_.reset();
    db_ = open_database("", dir_);
    EXPECT_EQ(schema_version(*db_), migrations().back().version);
}

TEST_F(SqliteStore, WalMode) {
    auto tx = db_->begin(Access::read);
    EXPECT_EQ(tx->query("PRAGMA journal_mode").at(0).text("journal_mode"), "wal");
}

TEST_F(SqliteStore, RollbackWithoutCommit) {
    {
        auto tx = db_->begin(Access::write);
        tx->execute("INSERT INTO users (username, email, profile, created) VALUES (?, ?, ?, ?)",
                    {"ghost", "g@example.com", "{}", "2024-01-01T00:00:00"});
    }
    auto tx = db_->begin(Access::read);
    EXPECT_TRUE(tx->query("SELECT id FROM users WHERE username = 'ghost'").empty());
}

TEST_F(SqliteStore, CommitAndTypes) {
    {
        auto tx = db_->begin(Access::write);
        auto rows = tx->query(
            "INSERT INTO users (username, email, restricted, profile, created) VALUES (?, ?, ?, ?, "
            "?) RETURNING id",
            {"alice", "a@example.com", std::int64_t{1}, "{}", "2024-01-01T00:00:00"});
        EXPECT_GT(rows.at(0).integer("id"), 0);
        tx->commit();
    }
    auto tx = db_->begin(Access::read);
    auto rows = tx->query(
        "SELECT username, restricted, password_hash, 2.5 AS ratio FROM users WHERE email = ?",
        {"a@example.com"});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].text("username"), "alice");
    EXPECT_TRUE(rows[0].boolean("restricted"));
    EXPECT_TRUE(rows[0].is_null("password_hash"));
    EXPECT_DOUBLE_EQ(rows[0].real("ratio"), 2.5);
    EXPECT_FALSE(rows[0].optional_text("password_hash"));
    // A column the statement did not select is a programming error, not an empty value.
    EXPECT_THROW(rows[0].text("email"), std::out_of_range);
}

TEST_F(SqliteStore, ErrorsAreStoreErrors) {
    auto tx = db_->begin(Access::write);
    EXPECT_THROW(tx->execute("INSERT INTO nowhere VALUES (1)"), StoreError);
}

TEST(LikeEscape, EscapesWildcards) {
    EXPECT_EQ(like_escape(R"(50%_a\b)"), R"(50\%\_a\\b)");
}

TEST(OpenDatabase, RejectsUnknownUrls) {
    const auto before = std::filesystem::status("/tmp").permissions();
    EXPECT_THROW(open_database("mysql://x", "/tmp"), StoreError);
    EXPECT_EQ(std::filesystem::status("/tmp").permissions(), before);
}

TEST(OpenDatabase, TheDataFolderIsPrivateButASharedOneIsLeftAlone) {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() / ("linnet-private-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::all, fs::perm_options::replace);
    open_database("", dir).reset();
    EXPECT_EQ(fs::status(dir).permissions(), fs::perms::owner_all);
    EXPECT_EQ(fs::status(dir / "linnet.db").permissions(),
              fs::perms::owner_read | fs::perms::owner_write);
    // A sticky folder shared by everyone keeps its mode.
    fs::permissions(dir, fs::perms::all | fs::perms::sticky_bit, fs::perm_options::replace);
    open_database("", dir).reset();
    EXPECT_EQ(fs::status(dir).permissions(), fs::perms::all | fs::perms::sticky_bit);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace linnet::store
