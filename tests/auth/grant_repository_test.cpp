// global_grants and entity_grants through GrantRepository, and the visibility conditions it
// gives other lists.
#include "auth/grant_repository.hpp"

#include <gtest/gtest.h>

#include "auth/user_repository.hpp"
#include "store/temp_store.hpp"

namespace linnet::auth {
namespace {

class GrantRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"grant-repository"};
    store::Transaction& tx_ = store_.tx();
    GrantRepository grants_{tx_};
    std::int64_t alice_ = UserRepository(tx_).insert({"alice", "a@example.com", true, "{}", "t"});
    std::int64_t bob_ = UserRepository(tx_).insert({"bob", "b@example.com", true, "{}", "t"});
};

TEST_F(GrantRepositoryTest, GlobalDocumentIsInsertedThenReplaced) {
    EXPECT_FALSE(grants_.global_doc(alice_));
    grants_.save_global_doc(alice_, R"({"add_linodes":true})");
    EXPECT_EQ(grants_.global_doc(alice_), R"({"add_linodes":true})");
    grants_.save_global_doc(alice_, R"({"add_linodes":false})");
    EXPECT_EQ(grants_.global_doc(alice_), R"({"add_linodes":false})");
    EXPECT_FALSE(grants_.global_doc(bob_));
}

TEST_F(GrantRepositoryTest, EntityPermissionsAreSetReplacedAndRemoved) {
    EXPECT_FALSE(grants_.entity_permission(alice_, "linode", 7));
    grants_.set_entity_permission(alice_, "linode", 7, "read_only");
    EXPECT_EQ(grants_.entity_permission(alice_, "linode", 7), "read_only");
    grants_.set_entity_permission(alice_, "linode", 7, "read_write");
    EXPECT_EQ(grants_.entity_permission(alice_, "linode", 7), "read_write");
    EXPECT_FALSE(grants_.entity_permission(alice_, "image", 7));
    EXPECT_FALSE(grants_.entity_permission(bob_, "linode", 7));
    grants_.remove_entity_permission(alice_, "linode", 7);
    EXPECT_FALSE(grants_.entity_permission(alice_, "linode", 7));
}

TEST_F(GrantRepositoryTest, EntityPermissionsOfOneTypeComeByEntityId) {
    grants_.set_entity_permission(alice_, "linode", 9, "read_write");
    grants_.set_entity_permission(alice_, "linode", 3, "read_only");
    grants_.set_entity_permission(alice_, "image", 5, "read_only");
    grants_.set_entity_permission(bob_, "linode", 4, "read_only");
    const auto rows = grants_.entity_permissions(alice_, "linode");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].entity_id, 3);
    EXPECT_EQ(rows[0].permissions, "read_only");
    EXPECT_EQ(rows[1].entity_id, 9);
    EXPECT_EQ(rows[1].permissions, "read_write");
}

TEST_F(GrantRepositoryTest, RemoveAllForgetsOneUsersGrants) {
    grants_.save_global_doc(alice_, "{}");
    grants_.set_entity_permission(alice_, "linode", 1, "read_only");
    grants_.save_global_doc(bob_, "{}");
    grants_.set_entity_permission(bob_, "linode", 1, "read_only");
    grants_.remove_all(alice_);
    EXPECT_FALSE(grants_.global_doc(alice_));
    EXPECT_TRUE(grants_.entity_permissions(alice_, "linode").empty());
    EXPECT_TRUE(grants_.global_doc(bob_));
    EXPECT_EQ(grants_.entity_permissions(bob_, "linode").size(), 1u);
}

TEST_F(GrantRepositoryTest, GrantsGoWithTheirUser) {
    grants_.save_global_doc(alice_, "{}");
    grants_.set_entity_permission(alice_, "linode", 1, "read_only");
    UserRepository(tx_).remove(alice_);
    EXPECT_FALSE(grants_.global_doc(alice_));
    EXPECT_FALSE(grants_.entity_permission(alice_, "linode", 1));
}

TEST_F(GrantRepositoryTest, GrantedLinodesConditionSelectsOnlyGrantedIds) {
    grants_.set_entity_permission(alice_, "linode", 2, "read_only");
    grants_.set_entity_permission(alice_, "image", 3, "read_only");
    grants_.set_entity_permission(bob_, "linode", 1, "read_only");
    auto [where, params] = GrantRepository::granted_linodes(alice_, "x.id");
    auto rows =
        tx_.query("SELECT x.id AS id FROM (SELECT 1 AS id UNION SELECT 2 UNION SELECT 3) x WHERE " +
                      where + " ORDER BY x.id",
                  params);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].integer("id"), 2);

    auto [all, none] = GrantRepository::everything();
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(tx_.query("SELECT 1 AS one WHERE " + all).size(), 1u);

    auto [events, event_params] = GrantRepository::granted_events(alice_);
    auto matched = tx_.query(
        "SELECT e.entity_id AS entity_id FROM (SELECT 'linode' AS entity_type, 2 AS entity_id "
        "UNION SELECT 'linode', 1 UNION SELECT 'image', 2) e WHERE " +
            events,
        event_params);
    ASSERT_EQ(matched.size(), 1u);
    EXPECT_EQ(matched[0].integer("entity_id"), 2);
}

}  // namespace
}  // namespace linnet::auth
