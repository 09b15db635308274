// An INSERT of one row made into one of several, on the store it runs against.
#include "store/values_rows.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

TEST(ValuesRows, TheRowIsRepeatedAndWhatFollowsItKept) {
    EXPECT_EQ(with_rows("INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING", 3),
              "INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?) ON CONFLICT DO NOTHING");
    EXPECT_EQ(with_rows("INSERT INTO t (a) VALUES (?)", 1), "INSERT INTO t (a) VALUES (?)");
}

TEST(ValuesRows, ParenthesesAndQuotesInsideTheRowStayInIt) {
    EXPECT_EQ(with_rows("INSERT INTO t (a, b, c) VALUES (?, '{)}', COALESCE(?, 'it''s')) "
                        "RETURNING id",
                        2),
              "INSERT INTO t (a, b, c) VALUES (?, '{)}', COALESCE(?, 'it''s')), (?, '{)}', "
              "COALESCE(?, 'it''s')) RETURNING id");
}

TEST(ValuesRows, AnInsertWithoutARowIsAMistake) {
    EXPECT_THROW(with_rows("INSERT INTO t SELECT 1", 2), std::logic_error);
    EXPECT_THROW(with_rows("INSERT INTO t (a) VALUES (?)", 0), std::logic_error);
    EXPECT_THROW(with_rows("INSERT INTO t (a) VALUES (?, ')'", 2), std::logic_error);
}

TEST(ValuesRows, EveryRowIsInsertedWithItsOwnParameters) {
    TempStore store("values-rows");
    store.tx().execute("CREATE TABLE pairs (a INTEGER, b TEXT)");
    store.tx().execute(with_rows("INSERT INTO pairs (a, b) VALUES (?, COALESCE(?, '(none)'))", 3),
                       {std::int64_t{1}, std::string("x"), std::int64_t{2}, std::monostate{},
                        std::int64_t{3}, std::string("z")});
    auto rows = store.tx().query("SELECT a, b FROM pairs ORDER BY a");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].text("b"), "x");
    EXPECT_EQ(rows[1].text("b"), "(none)");
    EXPECT_EQ(rows[2].integer("a"), 3);
}

}  // namespace
}  // namespace linnet::store
