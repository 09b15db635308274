// Login sessions and failed-login counts through LoginRepository.
#include "auth/login_repository.hpp"

#include <gtest/gtest.h>

#include "auth/user_repository.hpp"
#include "store/temp_store.hpp"

namespace linnet::auth {
namespace {

class LoginRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"login-repository"};
    store::Transaction& tx_ = store_.tx();
    LoginRepository login_{tx_};
    std::int64_t alice_ = UserRepository(tx_).insert({"alice", "a@example.com", false, "{}", "t"});
};

TEST_F(LoginRepositoryTest, SignedInSessionCarriesItsUsername) {
    login_.insert_session({"s1", alice_, std::nullopt, "csrf1", 200});
    auto found = login_.find_session("s1", 100);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id_hash, "s1");
    EXPECT_EQ(found->user_id, alice_);
    EXPECT_EQ(found->username, "alice");
    EXPECT_EQ(found->csrf, "csrf1");
    EXPECT_EQ(found->expiry_unix, 200);
}

TEST_F(LoginRepositoryTest, AnonymousSessionHasNoUser) {
    login_.insert_session({"s1", std::nullopt, std::nullopt, "csrf1", 200});
    auto found = login_.find_session("s1", 100);
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->user_id);
    EXPECT_FALSE(found->username);
    EXPECT_THROW(login_.insert_session({"s1", std::nullopt, std::nullopt, "csrf2", 300}),
                 store::StoreError);
}

TEST_F(LoginRepositoryTest, ExpiredSessionsAreNotFoundAndAreSwept) {
    login_.insert_session({"old", std::nullopt, std::nullopt, "c", 100});
    login_.insert_session({"live", std::nullopt, std::nullopt, "c", 300});
    EXPECT_FALSE(login_.find_session("old", 100));
    EXPECT_TRUE(login_.find_session("old", 99));
    login_.remove_sessions_expired_at(100);
    EXPECT_FALSE(login_.find_session("old", 0));
    EXPECT_TRUE(login_.find_session("live", 0));
    login_.remove_session("live");
    EXPECT_FALSE(login_.find_session("live", 0));
}

TEST_F(LoginRepositoryTest, FailuresAreSavedReplacedAndForgotten) {
    EXPECT_FALSE(login_.find_failures("user:alice"));
    login_.save_failures({"user:alice", 1, 10, 0});
    auto found = login_.find_failures("user:alice");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->failures, 1);
    EXPECT_EQ(found->last_unix, 10);
    EXPECT_EQ(found->locked_until, 0);
    login_.save_failures({"user:alice", 4, 20, 30});
    found = login_.find_failures("user:alice");
    EXPECT_EQ(found->failures, 4);
    EXPECT_EQ(found->last_unix, 20);
    EXPECT_EQ(found->locked_until, 30);
    login_.save_failures({"address:1.2.3.4", 1, 20, 0});
    login_.remove_failures("user:alice");
    EXPECT_FALSE(login_.find_failures("user:alice"));
    EXPECT_TRUE(login_.find_failures("address:1.2.3.4"));
}

}  // namespace
}  // namespace linnet::auth
