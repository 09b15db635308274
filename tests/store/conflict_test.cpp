// Writers side by side (PostgreSQL): the second of two transactions that insert one unique key
// waits for the first and then fails with store::Conflict, which the dispatcher answers by
// running the request again; locking() holds the rows a check reads. SQLite has one writer at a
// time: no row locks, and locking() leaves statements as they are.
#include <gtest/gtest.h>

#include <thread>

#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

TEST(ConflictOnStore, TheSecondWriterOfAUniqueKeyConflicts) {
    TempStore store("conflict");
    const Params tag{store.account_id(), std::string("web")};
    store.finish();
    auto first = store.db().begin(Access::write);
    EXPECT_EQ(locking(*first, "SELECT 1", " FOR UPDATE"),
              first->locks_rows() ? "SELECT 1 FOR UPDATE" : "SELECT 1");
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

}  // namespace
}  // namespace linnet::store
