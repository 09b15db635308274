// The users table through UserRepository: insert, find, update, delete, unique usernames, lists.
#include "auth/user_repository.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"

namespace linnet::auth {
namespace {

class UserRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"user-repository"};
    store::Transaction& tx_ = store_.tx();
    UserRepository users_{tx_};

    std::int64_t add(const std::string& name, bool restricted = false) {
        return users_.insert({name, name + "@example.com", restricted, R"({"timezone":"UTC"})",
                              "2026-01-01T00:00:00"});
    }
};

TEST_F(UserRepositoryTest, InsertedUserIsFoundByIdAndName) {
    EXPECT_FALSE(users_.any());
    EXPECT_FALSE(users_.first_id());
    const auto id = add("alice", true);
    EXPECT_TRUE(users_.any());
    auto user = users_.find(id);
    ASSERT_TRUE(user);
    EXPECT_EQ(user->id, id);
    EXPECT_EQ(user->username, "alice");
    EXPECT_EQ(user->email, "alice@example.com");
    EXPECT_TRUE(user->restricted);
    EXPECT_FALSE(user->password_hash);
    EXPECT_FALSE(user->password_created);
    EXPECT_EQ(user->profile, R"({"timezone":"UTC"})");
    EXPECT_EQ(user->created, "2026-01-01T00:00:00");
    auto by_name = users_.find_by_username("alice");
    ASSERT_TRUE(by_name);
    EXPECT_EQ(by_name->id, id);
    EXPECT_EQ(users_.id_of("alice"), id);
    EXPECT_FALSE(users_.id_of("bob"));
    EXPECT_FALSE(users_.find(id + 1));
    EXPECT_FALSE(users_.find_by_username("bob"));
}

TEST_F(UserRepositoryTest, FirstIdIsTheOldestUser) {
    const auto first = add("alice");
    add("bob");
    EXPECT_EQ(users_.first_id(), first);
}

TEST_F(UserRepositoryTest, UsernamesAreUnique) {
    add("alice");
    EXPECT_THROW(add("alice"), store::StoreError);
}

TEST_F(UserRepositoryTest, UpdatesChangeOnlyTheirColumn) {
    const auto id = add("alice");
    users_.set_username(id, "alicia");
    users_.set_email(id, "a@example.org");
    users_.set_restricted(id, true);
    users_.set_profile(id, R"({"timezone":"Europe/Paris"})");
    users_.set_password(id, "$argon2id$hash", "2026-02-02T00:00:00");
    auto user = users_.find(id);
    ASSERT_TRUE(user);
    EXPECT_EQ(user->username, "alicia");
    EXPECT_EQ(user->email, "a@example.org");
    EXPECT_TRUE(user->restricted);
    EXPECT_EQ(user->profile, R"({"timezone":"Europe/Paris"})");
    EXPECT_EQ(user->password_hash, "$argon2id$hash");
    EXPECT_EQ(user->password_created, "2026-02-02T00:00:00");
    EXPECT_EQ(user->created, "2026-01-01T00:00:00");
    EXPECT_FALSE(users_.id_of("alice"));
    users_.set_restricted(id, false);
    EXPECT_FALSE(users_.find(id)->restricted);
}

TEST_F(UserRepositoryTest, RemovedUserIsGone) {
    const auto id = add("alice");
    const auto other = add("bob");
    users_.remove(id);
    EXPECT_FALSE(users_.find(id));
    EXPECT_TRUE(users_.find(other));
    EXPECT_EQ(users_.first_id(), other);
}

TEST_F(UserRepositoryTest, ListingRendersEveryUserInIdOrderAndFiltersByUsername) {
    add("alice");
    add("bob");
    const auto listing = UserRepository::listing([](const User& u) { return u.username; });
    auto page = store::read_page(tx_, listing, filter::Query{}, Page{});
    EXPECT_EQ(page.results, 2);
    EXPECT_EQ(page.docs, (std::vector<std::string>{"alice", "bob"}));
    auto query = filter::parse(R"({"username":"bob"})", listing.schema);
    page = store::read_page(tx_, listing, query, Page{});
    EXPECT_EQ(page.docs, (std::vector<std::string>{"bob"}));
}

}  // namespace
}  // namespace linnet::auth
