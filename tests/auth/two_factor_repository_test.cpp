// Two-factor state and trusted devices through TwoFactorRepository.
#include "auth/two_factor_repository.hpp"

#include <gtest/gtest.h>

#include "auth/user_repository.hpp"
#include "store/temp_store.hpp"

namespace linnet::auth {
namespace {

class TwoFactorRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"two-factor-repository"};
    store::Transaction& tx_ = store_.tx();
    TwoFactorRepository repo_{tx_};
    std::int64_t alice_ = UserRepository(tx_).insert({"alice", "a@example.com", false, "{}", "t"});
    std::int64_t bob_ = UserRepository(tx_).insert({"bob", "b@example.com", false, "{}", "t"});

    TrustedDevice device(std::int64_t user, std::int64_t expiry) {
        TrustedDevice d;
        d.user_id = user;
        d.user_agent = "agent";
        d.last_remote_addr = "127.0.0.1";
        d.created = d.last_authenticated = "2026-01-01T00:00:00";
        d.expiry = "2026-02-01T00:00:00";
        d.expiry_unix = expiry;
        return d;
    }
};

TEST_F(TwoFactorRepositoryTest, AUserWithoutARowIsOff) {
    const auto t = repo_.find(alice_);
    EXPECT_EQ(t.user_id, alice_);
    EXPECT_FALSE(t.secret);
    EXPECT_FALSE(repo_.enabled(alice_));
    EXPECT_FALSE(UserRepository(tx_).find(alice_)->tfa_enabled);
}

TEST_F(TwoFactorRepositoryTest, StateIsSavedAndReplaced) {
    repo_.save({alice_, std::nullopt, "PENDING", 500, std::nullopt, 0});
    EXPECT_FALSE(repo_.enabled(alice_));
    EXPECT_EQ(repo_.find(alice_).pending_secret, "PENDING");
    repo_.save({alice_, "SECRET", std::nullopt, 0, "hash", 41});
    const auto t = repo_.find(alice_);
    EXPECT_EQ(t.secret, "SECRET");
    EXPECT_FALSE(t.pending_secret);
    EXPECT_EQ(t.scratch_hash, "hash");
    EXPECT_EQ(t.last_step, 41);
    EXPECT_TRUE(repo_.enabled(alice_));
    EXPECT_TRUE(UserRepository(tx_).find(alice_)->tfa_enabled);
    EXPECT_FALSE(repo_.enabled(bob_));
}

TEST_F(TwoFactorRepositoryTest, DevicesAreFoundByTokenUntilTheyExpire) {
    const auto id = repo_.add_device(device(alice_, 1000), "token-hash");
    auto found = repo_.device_by_token("token-hash", 999);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, id);
    EXPECT_EQ(found->user_id, alice_);
    EXPECT_FALSE(repo_.device_by_token("token-hash", 1000));
    EXPECT_FALSE(repo_.device_by_token("other", 0));
    repo_.touch_device(id, "2026-01-02T00:00:00", "127.0.0.9");
    EXPECT_EQ(repo_.device(alice_, id)->last_remote_addr, "127.0.0.9");
    EXPECT_EQ(repo_.device(alice_, id)->last_authenticated, "2026-01-02T00:00:00");
    // Another user's device is none of this user's.
    EXPECT_FALSE(repo_.device(bob_, id));
    repo_.remove_device(bob_, id);
    EXPECT_TRUE(repo_.device(alice_, id));
    repo_.remove_device(alice_, id);
    EXPECT_FALSE(repo_.device(alice_, id));
}

TEST_F(TwoFactorRepositoryTest, AUsersDevicesGoTogether) {
    repo_.add_device(device(alice_, 1000), "a1");
    repo_.add_device(device(alice_, 1000), "a2");
    const auto bobs = repo_.add_device(device(bob_, 1000), "b1");
    repo_.remove_devices_of(alice_);
    EXPECT_FALSE(repo_.device_by_token("a1", 0));
    EXPECT_FALSE(repo_.device_by_token("a2", 0));
    EXPECT_TRUE(repo_.device(bob_, bobs));
}

}  // namespace
}  // namespace linnet::auth
