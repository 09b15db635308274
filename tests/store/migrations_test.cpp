// Migrations over data written by older schemas: what a Linode had before survives the change.
#include "store/migrations.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/sqlite/sqlite_database.hpp"
#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

class OlderSchema : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("linnet-migrations-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        db_ = std::make_unique<SqliteDatabase>(dir_ / "linnet.db");
    }
    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    std::filesystem::path dir_;
    std::unique_ptr<Database> db_;
};

TEST_F(OlderSchema, VersionFiveLinodesKeepTagsAddressesAndDisplayLabels) {
    ASSERT_EQ(migrate(*db_, 5), 5);
    {
        auto tx = db_->begin(Access::write);
        tx->execute("INSERT INTO account (id, doc, settings) VALUES (1, '{}', '{}')");
        tx->execute(
            "INSERT INTO users (id, username, email, profile, created) VALUES (1, 'u', "
            "'u@example.com', '{}', '2026-01-01T00:00:00')");
        tx->execute(
            "INSERT INTO linodes (id, user_id, label, region, type, status, tags, ipv4, created, "
            "updated) VALUES (7, 1, 'my-box', 'us-east', 'g6-nanode-1', 'running', "
            "'\x1fweb\x1f', '\x1f"
            "198.51.100.9\x1f', '2026-01-01T00:00:00', '2026-01-01T00:00:00')");
        tx->execute(
            "INSERT INTO linode_docs (linode_id, settings, doc) VALUES (7, "
            "'{\"display_label\":\"My Box\"}', '{}')");
        tx->execute("INSERT INTO linode_tags (linode_id, tag) VALUES (7, 'web')");
        tx->commit();
    }
    EXPECT_GE(migrate(*db_), 1);
    auto tx = db_->begin(Access::read);
    auto row =
        tx->query("SELECT label, display_label, status, account_id FROM linodes WHERE id = 7")
            .at(0);
    // The one account of earlier versions is the first account; its Linodes are its own.
    EXPECT_EQ(row.integer("account_id"), 1);
    EXPECT_EQ(row.text("label"), "my-box");
    EXPECT_EQ(row.text("display_label"), "My Box");
    EXPECT_EQ(row.text("status"), "running");
    EXPECT_EQ(tx->query("SELECT tag FROM linode_tags WHERE linode_id = 7").at(0).text("tag"),
              "web");
    // The encoded columns are gone: the rows are the only record.
    EXPECT_THROW(tx->query("SELECT tags FROM linodes"), StoreError);
    EXPECT_THROW(tx->query("SELECT ipv4 FROM linodes"), StoreError);
    // The list counts start from the Linodes there were.
    EXPECT_EQ(list_count(*tx, "linodes", 1, ""), 1);
    EXPECT_EQ(list_count(*tx, "linodes", 1, "region=us-east|"), 1);
    EXPECT_EQ(list_count(*tx, "linodes", 1, "tag=web"), 1);
    EXPECT_EQ(list_count(*tx, "linodes", 1, "region=us-east|tag=web"), 1);
    EXPECT_EQ(list_count(*tx, "linodes", 1, "region=eu-west|"), 0);
}

TEST_F(OlderSchema, InterfacesKeptInAConfigsDocumentBecomeItsRows) {
    ASSERT_EQ(migrate(*db_, 33), 33);
    {
        auto tx = db_->begin(Access::write);
        tx->execute(
            "INSERT INTO accounts (id, doc, settings, created) VALUES (1, '{}', '{}', 'x')");
        tx->execute(
            "INSERT INTO users (id, account_id, username, email, profile, created) VALUES (1, 1, "
            "'u', 'u@example.com', '{}', 'x')");
        tx->execute(
            "INSERT INTO linodes (id, account_id, user_id, label, region, type, status, created, "
            "updated) VALUES (7, 1, 1, 'box', 'us-east', 'g6-nanode-1', 'running', 'x', 'x')");
        tx->execute(
            "INSERT INTO configs (id, linode_id, label, doc) VALUES (3, 7, 'boot', "
            "'{\"id\":3,\"label\":\"boot\",\"interfaces\":[{\"id\":1,\"purpose\":"
            "\"public\",\"label\":null},{\"id\":2,\"purpose\":\"vlan\",\"label\":"
            "\"back\",\"ipam_address\":\"10.0.0.1/24\"}]}')");
        tx->execute(
            "INSERT INTO configs (id, linode_id, label, doc) VALUES (4, 7, 'none', "
            "'{\"id\":4,\"label\":\"none\",\"interfaces\":null}')");
        tx->commit();
    }
    EXPECT_GE(migrate(*db_), 1);
    auto tx = db_->begin(Access::read);
    auto rows = tx->query(
        "SELECT config_id, interface_id, linode_id, position, purpose, label, doc FROM "
        "config_interfaces ORDER BY config_id, position");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].integer("interface_id"), 1);
    EXPECT_EQ(rows[0].text("purpose"), "public");
    EXPECT_FALSE(rows[0].optional_text("label"));
    EXPECT_EQ(rows[1].integer("interface_id"), 2);
    EXPECT_EQ(rows[1].integer("position"), 1);
    EXPECT_EQ(rows[1].integer("linode_id"), 7);
    EXPECT_EQ(rows[1].text("label"), "back");
    EXPECT_NE(rows[1].text("doc").find("10.0.0.1/24"), std::string::npos);
    // The documents no longer carry them: the rows are the only record.
    for (const auto& row : tx->query("SELECT doc FROM configs"))
        EXPECT_EQ(row.text("doc").find("interfaces"), std::string::npos) << row.text("doc");
}

TEST_F(OlderSchema, MigrationsStopWhereTheyAreTold) {
    EXPECT_EQ(migrate(*db_, 3), 3);
    EXPECT_EQ(schema_version(*db_), 3);
    EXPECT_EQ(migrate(*db_), static_cast<int>(migrations().size()) - 3);
    EXPECT_EQ(schema_version(*db_), migrations().back().version);
}

}  // namespace
}  // namespace linnet::store

namespace linnet::store {
namespace {

TEST(FailedMigration, LeavesTheSchemaAsItWas) {
    TempStore store("failed-migration");
    store.finish();
    auto& db = store.db();
    const int before = schema_version(db);
    const std::vector<Migration> broken = {{before + 1, "half of it works",
                                            "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\n"
                                            "INSERT INTO half_done (id) VALUES (1);\n"
                                            "ALTER TABLE no_such_table ADD COLUMN x INTEGER;\n"}};
    EXPECT_THROW(apply(db, broken, before + 1), StoreError);
    EXPECT_EQ(schema_version(db), before);
    auto tx = db.begin(Access::read);
    EXPECT_THROW(tx->query("SELECT id FROM half_done"), StoreError);
}

}  // namespace
}  // namespace linnet::store
