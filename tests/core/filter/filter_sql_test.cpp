// Compiling X-Filters to SQL: the text only ever names schema columns, values are parameters,
// and the compiled SQL selects the right rows in a real SQLite database.
#include "core/filter/filter_sql.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"

#include <filesystem>

#include "store/sqlite/sqlite_database.hpp"

namespace linnet::filter {
namespace {

const Schema kSchema{{
                         {"label", "label", FieldType::text},
                         {"memory", "memory", FieldType::integer},
                         {"kvm", "kvm", FieldType::boolean},
                         {"group", "grp", FieldType::text, true},
                         {"tags", "tags", FieldType::text_list},
                     },
                     "id"};

TEST(FilterSql, ValuesAreParametersNeverText) {
    Sql sql = compile(parse(R"({"label":"x' OR 1=1 --"})", kSchema), kSchema);
    EXPECT_EQ(sql.where, "(label = ?)");
    ASSERT_EQ(sql.params.size(), 1u);
    EXPECT_EQ(std::get<std::string>(sql.params[0]), "x' OR 1=1 --");
    EXPECT_EQ(sql.order_by, "id");
}

TEST(FilterSql, MembershipListsUseTheirTable) {
    const Schema schema{{{"tags", "tags", FieldType::text_list, false,
                          Membership{"id", "item_tags", "item_id", "tag"}}},
                        "id"};
    Sql eq = compile(parse(R"({"tags":"prod"})", schema), schema);
    EXPECT_EQ(eq.where, "(id IN (SELECT item_id FROM item_tags WHERE tag = ?))");
    Sql neq = compile(parse(R"({"tags":{"+neq":"prod"}})", schema), schema);
    EXPECT_EQ(neq.where, "(id NOT IN (SELECT item_id FROM item_tags WHERE tag = ?))");
    Sql contains = compile(parse(R"({"tags":{"+contains":"PR"}})", schema), schema);
    EXPECT_EQ(contains.where,
              "(id IN (SELECT item_id FROM item_tags WHERE LOWER(tag) LIKE ? ESCAPE '\\'))");
    EXPECT_EQ(std::get<std::string>(contains.params.at(0)), "%pr%");
}

TEST(FilterSql, TextListsRoundTrip) {
    const std::vector<std::string> tags{"prod", "", "a b"};
    EXPECT_EQ(decode_text_list(encode_text_list(tags)), tags);
    EXPECT_TRUE(decode_text_list(encode_text_list({})).empty());
}

TEST(FilterSql, OrderByKeepsIdAsTieBreak) {
    Sql sql = compile(parse(R"({"+order_by":"memory","+order":"desc"})", kSchema), kSchema);
    EXPECT_EQ(sql.where, "1=1");
    EXPECT_EQ(sql.order_by, "memory DESC, id DESC");
}

TEST(FilterSql, NullableOrderPutsNullsInOnePlace) {
    Sql sql = compile(parse(R"({"+order_by":"group"})", kSchema), kSchema);
    EXPECT_EQ(sql.order_by, "(grp IS NULL) ASC, grp ASC, id ASC");
}

// The compiled SQL on the store's engine (SQLite, or PostgreSQL under LINNET_TEST_PG): both give
// the same rows in the same order.
class FilterSqlOnStore : public ::testing::Test {
  protected:
    void SetUp() override {
        auto& tx = store_.tx();
        tx.execute(
            "CREATE TABLE t (id BIGINT PRIMARY KEY, label TEXT, memory BIGINT, kvm BIGINT, "
            "grp TEXT, tags TEXT)");
        struct R {
            std::int64_t id;
            const char* label;
            std::int64_t memory;
            bool kvm;
            const char* grp;
            std::vector<std::string> tags;
        };
        for (const R& r : std::vector<R>{{1, "Web-1", 1024, true, "front", {"prod", "web"}},
                                         {2, "web-2", 2048, false, nullptr, {"staging"}},
                                         {3, "db_1", 8192, true, "back", {"prod", "50%off"}},
                                         {4, "cache", 4096, true, nullptr, {}}}) {
            store::SqlValue grp = std::monostate{};
            if (r.grp) grp = std::string(r.grp);
            tx.execute(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",
                {r.id, r.label, r.memory, std::int64_t{r.kvm}, grp, encode_text_list(r.tags)});
        }
        store_.commit();
    }

    std::vector<std::int64_t> ids(std::string_view filter) {
        Sql sql = compile(parse(filter, kSchema), kSchema);
        auto rows = store_.tx().query(
            "SELECT id FROM t WHERE " + sql.where + " ORDER BY " + sql.order_by, sql.params);
        std::vector<std::int64_t> out;
        for (const auto& row : rows) out.push_back(row.integer("id"));
        return out;
    }

    store::TempStore store_{"filter"};
};

using Ids = std::vector<std::int64_t>;

TEST_F(FilterSqlOnStore, Equality) {
    EXPECT_EQ(ids(R"({"label":"cache"})"), Ids{4});
}
TEST_F(FilterSqlOnStore, EqualityIsCaseSensitive) {
    EXPECT_EQ(ids(R"({"label":"web-1"})"), Ids{});
}
TEST_F(FilterSqlOnStore, ContainsIsCaseInsensitive) {
    EXPECT_EQ(ids(R"({"label":{"+contains":"WEB"}})"), (Ids{1, 2}));
}
TEST_F(FilterSqlOnStore, ContainsTreatsWildcardsLiterally) {
    EXPECT_EQ(ids(R"({"label":{"+contains":"_"}})"), Ids{3});
    EXPECT_EQ(ids(R"({"label":{"+contains":"%"}})"), Ids{});
}
TEST_F(FilterSqlOnStore, Comparisons) {
    EXPECT_EQ(ids(R"({"memory":{"+gt":2048}})"), (Ids{3, 4}));
    EXPECT_EQ(ids(R"({"memory":{"+gte":2048,"+lte":4096}})"), (Ids{2, 4}));
    EXPECT_EQ(ids(R"({"memory":{"+lt":2048}})"), Ids{1});
}
TEST_F(FilterSqlOnStore, BooleansAndNeq) {
    EXPECT_EQ(ids(R"({"kvm":false})"), Ids{2});
    EXPECT_EQ(ids(R"({"label":{"+neq":"cache"}})"), (Ids{1, 2, 3}));
    EXPECT_EQ(ids(R"({"group":{"+neq":"front"}})"), (Ids{2, 3, 4}));
    EXPECT_EQ(ids(R"({"group":null})"), (Ids{2, 4}));
}
TEST_F(FilterSqlOnStore, OrAndNesting) {
    EXPECT_EQ(ids(R"({"+or":[{"label":"cache"},{"memory":1024}]})"), (Ids{1, 4}));
    EXPECT_EQ(ids(R"({"label":{"+or":["cache","db_1"]}})"), (Ids{3, 4}));
    EXPECT_EQ(ids(R"({"+and":[{"kvm":true},{"+or":[{"memory":{"+gt":5000}},{"label":"Web-1"}]}]})"),
              (Ids{1, 3}));
}
TEST_F(FilterSqlOnStore, TagsAreMembership) {
    EXPECT_EQ(ids(R"({"tags":"prod"})"), (Ids{1, 3}));
    EXPECT_EQ(ids(R"({"tags":"pro"})"), Ids{});
    EXPECT_EQ(ids(R"({"tags":{"+contains":"STAG"}})"), Ids{2});
    EXPECT_EQ(ids(R"({"tags":"50%off"})"), Ids{3});
    EXPECT_EQ(ids(R"({"tags":{"+neq":"prod"}})"), (Ids{2, 4}));
}
TEST_F(FilterSqlOnStore, Ordering) {
    EXPECT_EQ(ids(R"({"+order_by":"memory","+order":"desc"})"), (Ids{3, 4, 2, 1}));
    EXPECT_EQ(ids(R"({"+order_by":"group"})"), (Ids{3, 1, 2, 4}));
    EXPECT_EQ(ids(R"({"+order_by":"group","+order":"desc"})"), (Ids{4, 2, 1, 3}));
}
TEST_F(FilterSqlOnStore, MixedCaseAndNonAsciiOrderAndFoldAlike) {
    // Byte order (the C collation): upper case before lower, UTF-8 after ASCII; +contains folds
    // ASCII letters only.
    auto& tx = store_.tx();
    const std::vector<std::pair<std::int64_t, std::string>> more = {{10, "Zeta"},
                                                                    {11, "alpha"},
                                                                    {12,
                                                                     "\xc3\x89"
                                                                     "clair"},
                                                                    {13,
                                                                     "\xc3\xa9"
                                                                     "clair"},
                                                                    {14, "Alpha"}};
    for (const auto& [id, label] : more)
        tx.execute("INSERT INTO t VALUES (?, ?, 0, 0, NULL, '')", {id, label});
    EXPECT_EQ(ids(R"({"+order_by":"label"})"), (Ids{14, 1, 10, 11, 4, 3, 2, 12, 13}));
    EXPECT_EQ(ids(R"({"+order_by":"label","+order":"desc"})"),
              (Ids{13, 12, 2, 3, 4, 11, 10, 1, 14}));
    EXPECT_EQ(ids(R"({"label":{"+contains":"ALPHA"}})"), (Ids{11, 14}));
    EXPECT_EQ(ids("{\"label\":{\"+contains\":\"\xc3\xa9"
                  "clair\"}}"),
              Ids{13});
}
TEST_F(FilterSqlOnStore, InjectionAttemptMatchesNothing) {
    EXPECT_EQ(ids(R"({"label":"x' OR '1'='1"})"), Ids{});
    EXPECT_EQ(ids(R"({"label":{"+contains":"') OR 1=1 --"}})"), Ids{});
}

}  // namespace
}  // namespace linnet::filter
