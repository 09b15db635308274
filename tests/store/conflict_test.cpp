// Writers side by side (PostgreSQL): the second of two transactions that insert one unique key
// waits for the first and then fails with store::Conflict, which the dispatcher answers by
// running the request again; locking() holds the rows a check reads. SQLite has one writer at a
// time: no row locks, and locking() leaves statements as they are.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

TEST(ConflictOnStore, TheSecondWriterOfAUniqueKeyConflicts) {
    TempStore store("conflict");
    const Params tag{store.account_id(), std::string("web")};
    store.finish();
    auto first = store.db().begin(Access::write);
    EXPECT_EQ(locking(*first, "SELECT 1", " SKIP LOCKED"),
              first->locks_rows() ? "SELECT 1 FOR NO KEY UPDATE SKIP LOCKED" : "SELECT 1");
    if (!first->locks_rows()) {
        EXPECT_EQ(store.db().dialect(), Dialect::sqlite);
        return;
    }
    first->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", tag);
    bool conflicted = false;
    std::thread second([&] {
        auto tx = store.db().begin(Access::write);
        try {
            tx->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", tag);
        } catch (const Conflict&) {
            conflicted = true;
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    first->commit();
    second.join();
    EXPECT_TRUE(conflicted);
    // A read transaction locks nothing.
    EXPECT_FALSE(store.db().begin(Access::read)->locks_rows());
}

TEST(ConflictOnStore, ALockedRowStillTakesRowsThatReferToIt) {
    // locking() holds a row against other writers of it, not against rows that refer to it
    // (FOR NO KEY UPDATE): a request that holds an account's row does not stop another from
    // adding the account's firewalls, or a Linode's disks or samples.
    TempStore store("locked-parent");
    const auto account = store.account_id();
    store.finish();
    auto first = store.db().begin(Access::write);
    first->set_scope(Scope::system());
    first->query(locking(*first, "SELECT id FROM accounts WHERE id = ?"), {account});
    if (!first->locks_rows()) return;  // SQLite: one writer at a time
    auto second = std::async(std::launch::async, [&] {
        auto tx = store.db().begin(Access::write);
        tx->execute(
            "INSERT INTO firewalls (account_id, label, status, rules_version, created, updated) "
            "VALUES (?, 'child', 'enabled', 1, 'x', 'x')",
            {account});
        tx->commit();
    });
    const bool done = second.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    first->commit();
    second.get();
    EXPECT_TRUE(done) << "the insert waited for the lock on the row it refers to";
}

}  // namespace
}  // namespace linnet::store
