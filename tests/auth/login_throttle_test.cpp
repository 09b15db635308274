// Failed sign-ins: free attempts, then lockouts that double, per subject, forgotten on success.
// Each test uses a fresh SQLite store in a temporary folder.
#include "auth/login_throttle.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include "store/temp_store.hpp"

namespace linnet::auth {
namespace {

class LoginThrottleTest : public ::testing::Test {
  protected:
    store::TempStore store_{"throttle"};
    store::Transaction& tx_ = store_.tx();
};

TEST_F(LoginThrottleTest, FreeAttemptsThenDoublingLockouts) {
    const ThrottlePolicy policy{2, 900};
    EXPECT_EQ(lockout_remaining(tx_, "user:a"), 0);
    record_failure(tx_, "user:a", policy);
    record_failure(tx_, "user:a", policy);
    EXPECT_EQ(lockout_remaining(tx_, "user:a"), 0);
    record_failure(tx_, "user:a", policy);
    const int first = lockout_remaining(tx_, "user:a");
    EXPECT_GE(first, 1);
    EXPECT_LE(first, 2);
    record_failure(tx_, "user:a", policy);
    EXPECT_GE(lockout_remaining(tx_, "user:a"), 3);
    EXPECT_EQ(lockout_remaining(tx_, "user:b"), 0);
}

TEST_F(LoginThrottleTest, LockoutsAreCapped) {
    const ThrottlePolicy policy{0, 5};
    for (int i = 0; i < 40; ++i) record_failure(tx_, "address:x", policy);
    EXPECT_LE(lockout_remaining(tx_, "address:x"), 5);
    EXPECT_GE(lockout_remaining(tx_, "address:x"), 4);
}

TEST_F(LoginThrottleTest, ForgottenOnSuccess) {
    const ThrottlePolicy policy{0, 900};
    record_failure(tx_, "user:a", policy);
    EXPECT_GT(lockout_remaining(tx_, "user:a"), 0);
    forget_failures(tx_, "user:a");
    EXPECT_EQ(lockout_remaining(tx_, "user:a"), 0);
}

}  // namespace
}  // namespace linnet::auth
