// The planner's statistics: a table that grew by half since it was last measured is measured
// again, and a table that did not is left alone, on both engines.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

bool measured(Database& db, const std::string& table) {
    auto tx = db.begin(Access::read);
    tx->set_scope(Scope::system());
    if (db.dialect() == Dialect::sqlite) {
        if (tx->query("SELECT 1 AS found FROM sqlite_master WHERE name = 'sqlite_stat1'").empty())
            return false;
        return !tx->query("SELECT 1 AS found FROM sqlite_stat1 WHERE tbl = ?", {table}).empty();
    }
    auto rows = tx->query(
        "SELECT 1 AS found FROM pg_stat_user_tables WHERE relname = ? AND (last_analyze IS NOT "
        "NULL OR last_autoanalyze IS NOT NULL)",
        {table});
    tx->commit();
    return !rows.empty();
}

TEST(StatisticsOnStore, TablesThatGrewByHalfAreMeasuredAgain) {
    TempStore store("statistics");
    store.finish();
    // The migrations' tables are measured (or not) once first.
    store.db().refresh_statistics();
    {
        auto tx = store.db().begin(Access::write);
        tx->set_scope(Scope::system());
        tx->execute("CREATE TABLE grown (n BIGINT)");
        tx->execute("CREATE INDEX grown_n ON grown(n)");
        tx->execute("CREATE TABLE small (n BIGINT)");
        tx->execute(store.db().dialect() == Dialect::sqlite
                        ? "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE "
                          "n < 2000) INSERT INTO grown SELECT n FROM g"
                        : "INSERT INTO grown SELECT g FROM generate_series(1, 2000) g");
        tx->execute("INSERT INTO small VALUES (1)");
        tx->commit();
    }
    EXPECT_FALSE(measured(store.db(), "grown"));
    // The server counts a transaction's changes shortly after it ends.
    for (int i = 0; i < 100 && !measured(store.db(), "grown"); ++i) {
        store.db().refresh_statistics();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(measured(store.db(), "grown"));
    EXPECT_FALSE(measured(store.db(), "small"));
    // Measured now: nothing more to do until it changes again.
    EXPECT_EQ(store.db().refresh_statistics(), 0);
}

// The index SQLite's planner chooses for a two-index query on `g`.
std::string plan(Transaction& tx) {
    std::string out;
    for (const auto& row : tx.query("EXPLAIN QUERY PLAN SELECT * FROM g WHERE a = 1 AND b = 5"))
        out += row.text("detail");
    return out;
}

TEST(StatisticsOnStore, EveryConnectionPlansWithTheNewStatistics) {
    TempStore store("statistics-reach");
    store.finish();
    if (store.db().dialect() != Dialect::sqlite) return;  // one server's statistics
    auto& db = store.db();
    db.refresh_statistics();  // the statistics table exists from here on
    {
        auto tx = db.begin(Access::write);
        tx->set_scope(Scope::system());
        // Unmeasured, the planner takes the later index; measured, the one that narrows (b).
        tx->execute("CREATE TABLE g (a BIGINT, b BIGINT)");
        tx->execute("CREATE INDEX g_b ON g(b)");
        tx->execute("CREATE INDEX g_a ON g(a)");
        tx->execute(
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 2000) "
            "INSERT INTO g SELECT 1, n FROM c");
        tx->commit();
    }
    // A connection that planned before the measuring, kept open while another measures.
    auto before = db.begin(Access::read);
    EXPECT_NE(plan(*before).find("g_a"), std::string::npos);
    EXPECT_GE(db.refresh_statistics(), 1);
    before.reset();
    // Taken from the pool again, it plans with what was measured.
    auto after = db.begin(Access::read);
    EXPECT_NE(plan(*after).find("g_b"), std::string::npos) << plan(*after);
}

}  // namespace
}  // namespace linnet::store
