// What a transaction promises on each engine, whatever travels in which round trip: a write
// that was not committed is gone, a failed statement fails where it was made and leaves the
// connection fit for the next transaction, and a setting made for one statement ends with it.
#include <gtest/gtest.h>

#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

std::int64_t tags_named(Database& db, std::int64_t account, const std::string& label) {
    auto tx = db.begin(Access::read);
    return tx
        ->query("SELECT COUNT(*) AS n FROM tags WHERE account_id = ? AND label = ?",
                {account, label})
        .at(0)
        .integer("n");
}

TEST(TransactionOnStore, AWriteNotCommittedIsGone) {
    TempStore store("tx-rollback");
    const auto account = store.account_id();
    store.finish();
    {
        auto tx = store.db().begin(Access::write);
        tx->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "gone"});
    }
    EXPECT_EQ(tags_named(store.db(), account, "gone"), 0);
    {
        auto tx = store.db().begin(Access::write);
        tx->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "kept"});
        tx->commit();
    }
    EXPECT_EQ(tags_named(store.db(), account, "kept"), 1);
}

TEST(TransactionOnStore, AReadTransactionThatWritesRollsBackAsOne) {
    TempStore store("tx-read-writes");
    const auto account = store.account_id();
    store.finish();
    if (store.db().dialect() == Dialect::sqlite) return;  // one writer: reads do not write there
    {
        auto tx = store.db().begin(Access::read);
        EXPECT_EQ(tx->query("SELECT COUNT(*) AS n FROM tags").at(0).integer("n"), 0);
        tx->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "first"});
        tx->query("INSERT INTO tags (account_id, label) VALUES (?, ?) RETURNING label",
                  {account, "second"});
    }
    EXPECT_EQ(tags_named(store.db(), account, "first"), 0);
    EXPECT_EQ(tags_named(store.db(), account, "second"), 0);
}

TEST(TransactionOnStore, AFailedStatementFailsThereAndTheNextTransactionRuns) {
    TempStore store("tx-failure");
    const auto account = store.account_id();
    store.finish();
    for (int round = 0; round < 3; ++round) {
        auto tx = store.db().begin(Access::write);
        tx->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "twice"});
        EXPECT_THROW(
            tx->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "twice"}),
            StoreError);
    }
    EXPECT_THROW(store.db().begin(Access::read)->query("SELECT no_such_column FROM tags"),
                 StoreError);
    EXPECT_EQ(tags_named(store.db(), account, "twice"), 0);
    auto tx = store.db().begin(Access::write);
    tx->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "twice"});
    tx->commit();
    EXPECT_EQ(tags_named(store.db(), account, "twice"), 1);
}

TEST(TransactionOnStore, AWriteWhoseCountIsNotReadFailsByTheCommitAtTheLatest) {
    TempStore store("tx-write");
    const auto account = store.account_id();
    store.finish();
    {
        auto tx = store.db().begin(Access::write);
        tx->write("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "written"});
        EXPECT_EQ(tx->query("SELECT COUNT(*) AS n FROM tags").at(0).integer("n"), 1);
        tx->write("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "later"});
        tx->commit();
    }
    EXPECT_EQ(tags_named(store.db(), account, "later"), 1);
    bool conflicted = false;
    try {
        auto tx = store.db().begin(Access::write);
        tx->write("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "third"});
        tx->write("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "written"});
        tx->commit();
    } catch (const Conflict&) {
        conflicted = true;
    } catch (const StoreError&) {
        conflicted = store.db().dialect() == Dialect::sqlite;  // SQLite names no conflict
    }
    EXPECT_TRUE(conflicted);
    EXPECT_EQ(tags_named(store.db(), account, "third"), 0);
    // More writes than one round trip carries.
    {
        auto tx = store.db().begin(Access::write);
        for (int i = 0; i < 150; ++i)
            tx->write("INSERT INTO tags (account_id, label) VALUES (?, ?)",
                      {account, "many-" + std::to_string(i)});
        tx->commit();
    }
    auto tx = store.db().begin(Access::read);
    EXPECT_EQ(
        tx->query("SELECT COUNT(*) AS n FROM tags WHERE label LIKE 'many-%'").at(0).integer("n"),
        150);
}

TEST(TransactionOnStore, WritesSentOnALostConnectionAreSentAgainOnTheNext) {
    TempStore store("tx-lost");
    const auto account = store.account_id();
    store.finish();
    // Pooled connections whose server side ended (a restart, a failover): the first round trip
    // of each transaction below meets one, and everything that transaction wrote so far travels
    // again on a new connection.
    {
        auto tx = store.db().begin(Access::write);
        tx->query("SELECT 1 AS one");
        tx->commit();
    }
    store.drop_connections();
    {
        auto tx = store.db().begin(Access::write);
        tx->write("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "only-writes"});
        tx->write("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "and-more"});
        tx->commit();
    }
    EXPECT_EQ(tags_named(store.db(), account, "only-writes"), 1);
    EXPECT_EQ(tags_named(store.db(), account, "and-more"), 1);
    {
        auto tx = store.db().begin(Access::write);
        tx->query("SELECT 1 AS one");
        tx->commit();
    }
    store.drop_connections();
    {
        auto tx = store.db().begin(Access::write);
        tx->write("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "then-read"});
        EXPECT_EQ(tx->query("SELECT COUNT(*) AS n FROM tags WHERE label = 'then-read'")
                      .at(0)
                      .integer("n"),
                  1);
        tx->commit();
    }
    EXPECT_EQ(tags_named(store.db(), account, "then-read"), 1);
}

std::int64_t count_of(Transaction& tx, const std::string& label) {
    return tx.query("SELECT COUNT(*) AS n FROM tags WHERE label = ?", {label}).at(0).integer("n");
}

TEST(TransactionOnStore, AReadAnnouncedAheadAnswersItsQueryOnce) {
    TempStore store("tx-ahead");
    const auto account = store.account_id();
    store.finish();
    const std::string count = "SELECT COUNT(*) AS n FROM tags WHERE label = ?";
    auto tx = store.db().begin(Access::write);
    tx->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "a"});
    tx->read_ahead(count, {std::string("a")});
    tx->read_ahead(count, {std::string("b")});
    // Asked in another order than announced, each answers its own.
    EXPECT_EQ(count_of(*tx, "b"), 0);
    EXPECT_EQ(count_of(*tx, "a"), 1);
    // A write forgets what was read ahead, sent or not.
    tx->read_ahead(count, {std::string("a")});
    tx->query("SELECT 1 AS one");
    tx->read_ahead(count, {std::string("b")});
    tx->write("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "b"});
    tx->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "a2"});
    EXPECT_EQ(count_of(*tx, "b"), 1);
    tx->read_ahead(count, {std::string("b")});
    tx->query("INSERT INTO tags (account_id, label) VALUES (?, ?) RETURNING label",
              {account, "b2"});
    EXPECT_EQ(tx->query(count, {std::string("b2")}).at(0).integer("n"), 1);
    tx->commit();
}

TEST(TransactionOnStore, AReadAheadTravelsWithTheNextRoundTrip) {
    TempStore store("tx-ahead-trip");
    store.finish();
    if (store.db().dialect() == Dialect::sqlite) return;  // no round trips to save there
    auto tx = store.db().begin(Access::read);
    const std::string clock = "SELECT clock_timestamp() AS t";
    tx->read_ahead(clock);
    tx->query("SELECT pg_sleep(0.05) AS slept");
    // The announced read ran before the sleep: its time is the earlier one.
    const auto ahead = tx->query(clock).at(0).text("t");
    const auto now = tx->query(clock).at(0).text("t");
    EXPECT_LT(ahead, now);
    const auto gap =
        tx->query("SELECT EXTRACT(EPOCH FROM (?::timestamptz - ?::timestamptz)) AS s", {now, ahead})
            .at(0);
    EXPECT_GE(gap.real("s"), 0.05);
}

TEST(TransactionOnStore, AKeptReadAheadOutlivesWritesAndIsTakenOnce) {
    TempStore store("tx-kept");
    const auto account = store.account_id();
    store.finish();
    auto tx = store.db().begin(Access::write);
    const std::string clock = "SELECT clock_timestamp() AS t";
    tx->read_ahead_kept(clock);
    if (store.db().dialect() == Dialect::sqlite) {
        EXPECT_FALSE(tx->take_ahead(clock));  // nothing is announced there
        return;
    }
    tx->query("SELECT pg_sleep(0.02) AS slept");
    tx->execute("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "a"});
    tx->write("INSERT INTO tags (account_id, label) VALUES (?, ?)", {account, "b"});
    const auto kept = tx->take_ahead(clock);
    ASSERT_TRUE(kept);
    // It was read before the writes, with the sleep's round trip.
    EXPECT_LT(kept->at(0).text("t"), tx->query(clock).at(0).text("t"));
    EXPECT_FALSE(tx->take_ahead(clock));
    // One not sent yet is read when taken.
    tx->read_ahead_kept(clock);
    EXPECT_TRUE(tx->take_ahead(clock));
    EXPECT_FALSE(tx->take_ahead(clock));
    tx->commit();
}

TEST(TransactionOnStore, ASettingForOneStatementEndsWithIt) {
    TempStore store("tx-setting");
    store.finish();
    if (store.db().dialect() == Dialect::sqlite) return;  // SQLite has no planner settings
    const auto sorts = [](Transaction& tx) {
        return tx.query("SELECT current_setting('enable_sort') AS s").at(0).text("s");
    };
    {
        auto tx = store.db().begin(Access::write);
        EXPECT_EQ(
            tx->query_in_index_order("SELECT current_setting('enable_sort') AS s").at(0).text("s"),
            "off");
        EXPECT_EQ(sorts(*tx), "on");
        tx->query_in_index_order("SELECT 1 AS one");
        tx->commit();
    }
    for (auto access : {Access::read, Access::write}) {
        auto tx = store.db().begin(access);
        EXPECT_EQ(sorts(*tx), "on");
    }
    {
        // A failure after the setting: the setting goes with the transaction.
        auto tx = store.db().begin(Access::write);
        EXPECT_THROW(tx->query_in_index_order("SELECT no_such_column FROM tags"), StoreError);
    }
    auto tx = store.db().begin(Access::read);
    EXPECT_EQ(sorts(*tx), "on");
    EXPECT_EQ(tx->query_by_index("SELECT current_setting('enable_seqscan') AS s").at(0).text("s"),
              "off");
    EXPECT_EQ(tx->query("SELECT current_setting('enable_seqscan') AS s").at(0).text("s"), "on");
}

}  // namespace
}  // namespace linnet::store
