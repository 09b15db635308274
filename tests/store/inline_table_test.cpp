// Constant rows read as a table, quotes and all.
#include "store/inline_table.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

TEST(InlineTable, RowsReadBackAsATable) {
    TempStore store("inline-table");
    const std::string table = inline_table(
        "t", {"id", "label", "n", "missing"},
        {{std::string("a"), std::string("O'Brien"), std::int64_t{2}, std::monostate{}},
         {std::string("b"), std::string("plain"), std::int64_t{-1}, std::monostate{}}});
    auto rows = store.tx().query("SELECT id, label, n, missing FROM " + table + " ORDER BY n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].text("id"), "b");
    EXPECT_EQ(rows[0].integer("n"), -1);
    EXPECT_EQ(rows[1].text("label"), "O'Brien");
    EXPECT_TRUE(rows[1].is_null("missing"));
}

TEST(InlineTable, RowsMustHaveOneValuePerColumn) {
    EXPECT_THROW(inline_table("t", {"id", "label"}, {{std::string("a")}}), std::logic_error);
}

}  // namespace
}  // namespace linnet::store
