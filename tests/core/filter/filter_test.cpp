// The X-Filter parser: the grammar it accepts and the reason it gives for what it rejects.
#include "core/filter/filter.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace linnet::filter {
namespace {

const Schema kSchema{{
                         {"label", "label", FieldType::text},
                         {"memory", "memory", FieldType::integer},
                         {"price", "price", FieldType::number},
                         {"kvm", "kvm", FieldType::boolean},
                         {"created", "created", FieldType::time},
                         {"tags", "tags", FieldType::text_list},
                         {"entity.id", "entity_id", FieldType::integer},
                     },
                     "id"};

std::string reason_of(std::string_view header) {
    try {
        parse(header, kSchema);
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 400);
        EXPECT_EQ(e.details().at(0).field, "X-Filter");
        return e.details().at(0).reason;
    }
    return "accepted";
}

TEST(FilterParse, EqualityMakesOneCondition) {
    Query q = parse(R"({"label":"web"})", kSchema);
    ASSERT_EQ(q.where.children.size(), 1u);
    const Node& n = q.where.children[0];
    ASSERT_EQ(n.kind, Node::Kind::condition);
    EXPECT_EQ(n.condition->field->name, "label");
    EXPECT_EQ(n.condition->op, Op::eq);
    EXPECT_EQ(std::get<std::string>(n.condition->value), "web");
}

TEST(FilterParse, OperatorsOnOneFieldAreAnded) {
    Query q = parse(R"({"memory":{"+gte":1024,"+lt":8192}})", kSchema);
    ASSERT_EQ(q.where.children.size(), 1u);
    const Node& n = q.where.children[0];
    ASSERT_EQ(n.kind, Node::Kind::all);
    ASSERT_EQ(n.children.size(), 2u);
    EXPECT_EQ(n.children[0].condition->op, Op::gte);
    EXPECT_EQ(n.children[1].condition->op, Op::lt);
}

TEST(FilterParse, OrOfValuesOnAField) {
    Query q = parse(R"({"label":{"+or":["a","b","c"]}})", kSchema);
    const Node& n = q.where.children.at(0);
    ASSERT_EQ(n.kind, Node::Kind::any);
    EXPECT_EQ(n.children.size(), 3u);
}

TEST(FilterParse, NestedGroupsAndDottedKeys) {
    Query q =
        parse(R"({"+or":[{"+and":[{"entity.id":5},{"kvm":true}]},{"label":{"+contains":"x"}}]})",
              kSchema);
    const Node& any = q.where.children.at(0);
    ASSERT_EQ(any.kind, Node::Kind::any);
    ASSERT_EQ(any.children.size(), 2u);
    EXPECT_EQ(any.children[0].children.at(0).kind, Node::Kind::all);
}

TEST(FilterParse, OrderByAndOrder) {
    Query q = parse(R"({"+order_by":"memory","+order":"desc"})", kSchema);
    ASSERT_NE(q.order_by, nullptr);
    EXPECT_EQ(q.order_by->name, "memory");
    EXPECT_TRUE(q.descending);
    EXPECT_TRUE(q.where.children.empty());
}

TEST(FilterParse, OrderByInsideAnd) {
    Query q = parse(R"({"+and":[{"label":"a"},{"+order_by":"created"}]})", kSchema);
    ASSERT_NE(q.order_by, nullptr);
    EXPECT_EQ(q.order_by->name, "created");
}

TEST(FilterParse, TimesAreNormalised) {
    Query q = parse(R"({"created":{"+gt":"2024-01-02T03:04:05.123Z"}})", kSchema);
    EXPECT_EQ(std::get<std::string>(q.where.children.at(0).condition->value),
              "2024-01-02T03:04:05");
}

TEST(FilterParse, NullMeansIsNull) {
    Query q = parse(R"({"label":null})", kSchema);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(q.where.children.at(0).condition->value));
}

TEST(FilterParse, Rejections) {
    EXPECT_EQ(reason_of("{"), "X-Filter is not valid JSON");
    EXPECT_EQ(reason_of("[1]"), "X-Filter must be a JSON object");
    EXPECT_EQ(reason_of(R"({"region":"us-east"})"), "Cannot filter on region");
    EXPECT_EQ(reason_of(R"({"memory":"big"})"), "Value for memory must be an integer");
    EXPECT_EQ(reason_of(R"({"kvm":"yes"})"), "Value for kvm must be a boolean");
    EXPECT_EQ(reason_of(R"({"label":{"+gt":3}})"), "Cannot compare label with +gt/+gte/+lt/+lte");
    EXPECT_EQ(reason_of(R"({"memory":{"+contains":"1"}})"), "+contains is not supported on memory");
    EXPECT_EQ(reason_of(R"({"label":{"+like":"a"}})"), "Unknown filter operator +like on label");
    EXPECT_EQ(reason_of(R"({"+xor":[]})"), "Unknown filter operator +xor");
    EXPECT_EQ(reason_of(R"({"+order":"desc"})"), "+order requires +order_by");
    EXPECT_EQ(reason_of(R"({"+order_by":"memory","+order":"up"})"),
              "+order must be \"asc\" or \"desc\"");
    EXPECT_EQ(reason_of(R"({"+order_by":"nope"})"), "Cannot order by nope");
    EXPECT_EQ(reason_of(R"({"+or":[]})"), "+or must be a non-empty list of filters");
    EXPECT_EQ(reason_of(R"({"+and":[1]})"), "+and must be a list of objects");
    EXPECT_EQ(reason_of(R"({"created":{"+gt":"yesterday"}})"),
              "Value for created must be a date-time string (YYYY-MM-DDTHH:MM:SS)");
    EXPECT_EQ(reason_of(R"({"label":["a"]})"), "Value for label must be a string");
}

TEST(FilterParse, DepthLimit) {
    std::string eight = R"({"label":"x"})";
    for (int i = 1; i < kMaxDepth - 1; ++i) eight = R"({"+and":[)" + eight + "]}";
    EXPECT_EQ(reason_of(eight), "accepted");
    std::string deep = eight;
    for (int i = 0; i < 2; ++i) deep = R"({"+and":[)" + deep + "]}";
    EXPECT_EQ(reason_of(deep), "X-Filter is nested too deeply (at most 8 levels)");
    std::string very_deep(5000, '[');
    EXPECT_EQ(reason_of(very_deep), "X-Filter is nested too deeply (at most 8 levels)");
}

TEST(FilterParse, SizeLimit) {
    std::string big = R"({"label":")" + std::string(kMaxHeaderBytes, 'a') + R"("})";
    EXPECT_EQ(reason_of(big), "X-Filter is too large (at most 8192 bytes)");
}

}  // namespace
}  // namespace linnet::filter
