// Erasing an account: its rows in tables with its account_id, the rows that refer to them (a
// Linode's disks, a user's tokens), and nothing of another account; a transfer another account
// received from it lets go of it.
#include "store/erase.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

class EraseAccountTest : public ::testing::Test {
  protected:
    // An account with a user, a token, a Linode and a disk of it; answers the account's id.
    std::int64_t furnish(std::int64_t user_id, std::int64_t linode_id) {
        auto& tx = store_.tx();
        tx.set_scope(Scope::system());
        const std::int64_t account =
            tx.query(
                  "INSERT INTO accounts (doc, settings, created) VALUES ('{}', '{}', 'x') "
                  "RETURNING id")
                .at(0)
                .integer("id");
        tx.execute(
            "INSERT INTO users (id, account_id, username, email, profile, created) VALUES (?, ?, "
            "?, 'u@example.com', '{}', 'x')",
            {user_id, account, "user" + std::to_string(user_id)});
        tx.execute(
            "INSERT INTO tokens (user_id, kind, label, scopes, token_hash, token_prefix, "
            "created, doc) VALUES (?, 'personal_access_token', 't', '*', ?, 'abc', 'x', '{}')",
            {user_id, "hash" + std::to_string(user_id)});
        tx.execute(
            "INSERT INTO linodes (id, account_id, user_id, label, region, type, status, created, "
            "updated) VALUES (?, ?, ?, 'box', 'us-east', 'g6-nanode-1', 'offline', 'x', 'x')",
            {linode_id, account, user_id});
        tx.execute(
            "INSERT INTO disks (linode_id, label, size, filesystem, status, created, updated) "
            "VALUES (?, 'root', 100, 'ext4', 'ready', 'x', 'x')",
            {linode_id});
        return account;
    }
    std::int64_t count(const std::string& sql, std::int64_t id) {
        return store_.tx().query("SELECT COUNT(*) AS n FROM " + sql, {id}).at(0).integer("n");
    }
    TempStore store_{"erase-account"};
};

TEST_F(EraseAccountTest, TheAccountGoesWithWhatRefersToItAndNothingElse) {
    const std::int64_t gone = furnish(11, 21), kept = furnish(12, 22);
    store_.tx().execute(
        "INSERT INTO entity_transfers (token, account_id, receiver_account_id, status, "
        "created, updated, expiry, expiry_unix) VALUES ('tok', ?, ?, 'accepted', 'x', 'x', 'x', 0)",
        {kept, gone});
    EXPECT_GT(erase_account(store_.tx(), gone), 0);
    EXPECT_EQ(count("accounts WHERE id = ?", gone), 0);
    EXPECT_EQ(count("users WHERE id = ?", 11), 0);
    EXPECT_EQ(count("tokens WHERE user_id = ?", 11), 0);
    EXPECT_EQ(count("linodes WHERE id = ?", 21), 0);
    EXPECT_EQ(count("disks WHERE linode_id = ?", 21), 0);
    // The other account keeps everything; its transfer from the erased one names no receiver.
    EXPECT_EQ(count("accounts WHERE id = ?", kept), 1);
    EXPECT_EQ(count("users WHERE id = ?", 12), 1);
    EXPECT_EQ(count("tokens WHERE user_id = ?", 12), 1);
    EXPECT_EQ(count("disks WHERE linode_id = ?", 22), 1);
    EXPECT_EQ(count("entity_transfers WHERE account_id = ? AND receiver_account_id IS NULL", kept),
              1);
}

}  // namespace
}  // namespace linnet::store
