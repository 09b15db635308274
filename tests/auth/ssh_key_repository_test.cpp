// Users' SSH keys through SshKeyRepository: each user's own, in the order added; and the shape a
// public key must have.
#include "auth/ssh_key_repository.hpp"

#include <gtest/gtest.h>

#include "auth/user_repository.hpp"
#include "store/temp_store.hpp"

namespace linnet::auth {
namespace {

const std::string kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcKWXa5yCsgP8TeBNFd0PT3e2ewHVKrO/D5Wg0nDwyB a@b";

class SshKeyRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"ssh-key-repository"};
    store::Transaction& tx_ = store_.tx();
    SshKeyRepository keys_{tx_};
    std::int64_t alice_ = UserRepository(tx_).insert({"alice", "a@example.com", false, "{}", "t"});
    std::int64_t bob_ = UserRepository(tx_).insert({"bob", "b@example.com", false, "{}", "t"});
};

TEST_F(SshKeyRepositoryTest, EachUsersOwnInTheOrderAdded) {
    const auto first = keys_.insert(alice_, "laptop", kKey, "2026-01-01T00:00:00");
    const auto second = keys_.insert(alice_, "", "ssh-rsa AAAA", "2026-01-02T00:00:00");
    EXPECT_EQ(keys_.keys_of(alice_), (std::vector<std::string>{kKey, "ssh-rsa AAAA"}));
    EXPECT_TRUE(keys_.keys_of(bob_).empty());
    EXPECT_FALSE(keys_.find(bob_, first));
    keys_.rename(bob_, first, "stolen");
    keys_.remove(bob_, first);
    auto found = keys_.find(alice_, first);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->label, "laptop");
    keys_.rename(alice_, first, "desk");
    EXPECT_EQ(keys_.find(alice_, first)->label, "desk");
    keys_.remove(alice_, second);
    EXPECT_FALSE(keys_.find(alice_, second));
    EXPECT_EQ(keys_.keys_of(alice_).size(), 1u);
}

TEST(SshKeyShape, KnownTypesWithBase64Data) {
    EXPECT_FALSE(ssh_key_problem(kKey));
    EXPECT_FALSE(ssh_key_problem("ecdsa-sha2-nistp256 AAAAE2VjZHNh"));
    EXPECT_FALSE(ssh_key_problem("ssh-rsa AAAAB3NzaC1yc2E="));
    EXPECT_TRUE(ssh_key_problem("ssh-foo AAAA"));
    EXPECT_TRUE(ssh_key_problem("ssh-ed25519"));
    EXPECT_TRUE(ssh_key_problem("ssh-ed25519 AAA*"));
    EXPECT_TRUE(ssh_key_problem("ssh-ed25519 AAAAC3Nz\nssh-rsa AAAA"));
    EXPECT_TRUE(ssh_key_problem("AAAAC3NzaC1lZDI1NTE5"));
}

}  // namespace
}  // namespace linnet::auth
