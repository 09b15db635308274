// Signals between processes: on PostgreSQL a transaction's notify reaches every listener of the
// channel once it commits (and not before, nor after a rollback); SQLite has no listener (one
// process serves a file, and wakes its workers itself).
#include <gtest/gtest.h>

#include <chrono>

#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

using std::chrono::milliseconds;

TEST(ListenerOnStore, ACommittedNotifyWakesTheListenersOfItsChannel) {
    TempStore store("listener");
    store.finish();
    auto listener = store.db().listen("linnet_jobs");
    if (store.db().dialect() == Dialect::sqlite) {
        EXPECT_EQ(listener, nullptr);
        auto tx = store.db().begin(Access::write);
        tx->notify("linnet_jobs");  // nothing to signal: no error either
        tx->commit();
        return;
    }
    ASSERT_NE(listener, nullptr);
    auto other = store.db().listen("other_channel");
    // The first wait connects and starts listening.
    listener->wait(milliseconds(10));
    other->wait(milliseconds(10));
    EXPECT_FALSE(listener->wait(milliseconds(50)));
    {
        auto tx = store.db().begin(Access::write);
        tx->notify("linnet_jobs");
        // Not before the commit ...
        EXPECT_FALSE(listener->wait(milliseconds(100)));
        tx->commit();
    }
    EXPECT_TRUE(listener->wait(milliseconds(5000)));
    EXPECT_FALSE(listener->wait(milliseconds(50)));  // one signal, one wake
    EXPECT_FALSE(other->wait(milliseconds(50)));
    {
        auto tx = store.db().begin(Access::write);
        tx->notify("linnet_jobs");
        // ... nor after a rollback.
    }
    EXPECT_FALSE(listener->wait(milliseconds(200)));
}

}  // namespace
}  // namespace linnet::store
