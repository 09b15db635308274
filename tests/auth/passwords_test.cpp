// Unit tests for user passwords: argon2id hashes that verify only their own password, and the
// strength rule a new password must meet.
#include "auth/passwords.hpp"

#include <gtest/gtest.h>

namespace linnet::auth {
namespace {

TEST(Passwords, HashIsArgon2idAndVerifies) {
    const std::string hash = hash_password("Corr3ct-Horse");
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
    EXPECT_TRUE(verify_password(hash, "Corr3ct-Horse"));
    EXPECT_FALSE(verify_password(hash, "corr3ct-horse"));
    EXPECT_FALSE(verify_password(hash, ""));
}

TEST(Passwords, SaltedSoEqualPasswordsHashDifferently) {
    const std::string a = hash_password("Same-pass-9");
    const std::string b = hash_password("Same-pass-9");
    EXPECT_NE(a, b);
    EXPECT_TRUE(verify_password(a, "Same-pass-9"));
    EXPECT_TRUE(verify_password(b, "Same-pass-9"));
}

TEST(Passwords, TheDecoyCostsWhatARealHashCosts) {
    // An unknown username is checked against the decoy: the same algorithm and cost as the
    // hashes hash_password makes now, so that its answer takes as long.
    EXPECT_TRUE(current_cost(decoy_password_hash()));
    EXPECT_TRUE(current_cost(hash_password("Some-pass-1")));
    EXPECT_FALSE(
        current_cost("$argon2id$v=19$m=4096,t=1,p=1$b+dfeOULWL//bZWxBfHiuQ$"
                     "Q3E5O9wPEqphqgW/2YhTAt2deS+0MAG8p8iKy6JLsmA"));
    EXPECT_TRUE(verify_password(decoy_password_hash(), "linnet-decoy-password"));
    EXPECT_FALSE(verify_password(decoy_password_hash(), ""));
}

TEST(Passwords, MalformedHashesNeverVerify) {
    EXPECT_FALSE(verify_password("", "anything"));
    EXPECT_FALSE(verify_password("not-a-hash", "not-a-hash"));
    EXPECT_FALSE(verify_password(std::string(1000, '$'), "x"));
}

TEST(Passwords, StrengthRule) {
    EXPECT_TRUE(password_problem("short1A"));              // 7 characters
    EXPECT_TRUE(password_problem("alllowercaseletters"));  // one kind of character
    EXPECT_TRUE(password_problem("ab12ab12ab12"));         // four distinct characters
    EXPECT_TRUE(password_problem(std::string(129, 'a') + "1"));
    EXPECT_TRUE(password_problem("tab\there-9X"));
    EXPECT_FALSE(password_problem("Corr3ct-Horse"));
    EXPECT_FALSE(password_problem("lnt7xqrv93kp"));
}

}  // namespace
}  // namespace linnet::auth
