// UDF tags read from scripts, and deployment values checked against them.
#include "stackscripts/udf.hpp"

#include <gtest/gtest.h>

namespace linnet::stackscripts {
namespace {

namespace json = boost::json;

std::vector<std::string> fields_of(const std::vector<ErrorDetail>& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems) out.push_back(p.field.value_or(""));
    return out;
}

TEST(UdfParse, ReadsEveryAttributeInOrder) {
    const auto parsed = parse_udfs(
        "#!/bin/bash\n"
        "# <UDF name=\"user\" label=\"User name\" example=\"alice\" />\n"
        "#<udf NAME='tier' LABEL='Tier' oneof='gold,silver' default='gold'>\n"
        "# <UDF\n#   name=\"mods\" label=\"Modules\" manyOf=\"a,b,c\" default=\"\"/>\n"
        "echo \"<UDFnot a tag>\" <b>\n");
    ASSERT_TRUE(parsed.problems.empty()) << parsed.problems.front();
    ASSERT_EQ(parsed.fields.size(), 3u);
    EXPECT_EQ(parsed.fields[0].name, "user");
    EXPECT_EQ(parsed.fields[0].label, "User name");
    EXPECT_EQ(parsed.fields[0].example, "alice");
    EXPECT_FALSE(parsed.fields[0].default_value);
    EXPECT_EQ(parsed.fields[1].one_of, "gold,silver");
    EXPECT_EQ(parsed.fields[1].default_value, "gold");
    EXPECT_EQ(parsed.fields[2].many_of, "a,b,c");
    EXPECT_EQ(parsed.fields[2].default_value, "");
    const auto docs = render_udfs(parsed.fields);
    EXPECT_EQ(docs[0].as_object().size(), 3u);  // no default, oneOf or manyOf
    EXPECT_EQ(docs[1].as_object().at("oneOf"), "gold,silver");
}

TEST(UdfParse, NamesWhatIsWrong) {
    EXPECT_EQ(parse_udfs("<UDF label=\"x\"/>").problems.size(), 1u);
    EXPECT_EQ(parse_udfs("<UDF name=\"1x\" label=\"x\"/>").problems.size(), 1u);
    EXPECT_EQ(parse_udfs("<UDF name=\"a-b\" label=\"x\"/>").problems.size(), 1u);
    EXPECT_EQ(parse_udfs("<UDF name=\"a\"/>").problems.size(), 1u);
    EXPECT_EQ(parse_udfs("<UDF name=\"a\" label=\"x\"").problems.size(), 1u);
    EXPECT_EQ(parse_udfs("<UDF name=\"a\" label=\"x/>").problems.size(), 1u);
    EXPECT_EQ(
        parse_udfs("<UDF name=\"a\" label=\"x\"/><UDF name=\"a\" label=\"y\"/>").problems.size(),
        1u);
    EXPECT_TRUE(parse_udfs("#!/bin/sh\necho no fields\n").fields.empty());
}

TEST(UdfValues, DefaultsRequiredAndChoices) {
    const auto fields = parse_udfs(
                            "<UDF name=\"user\" label=\"User\"/>"
                            "<UDF name=\"tier\" label=\"Tier\" oneOf=\"gold,silver\" "
                            "default=\"gold\"/>"
                            "<UDF name=\"mods\" label=\"Modules\" manyOf=\"a,b,c\" default=\"\"/>")
                            .fields;
    std::vector<ErrorDetail> problems;
    const json::value given = json::parse(R"({"user": "bob", "mods": "a,c", "other": "x"})");
    const auto values = udf_values(fields, &given, problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(values.at("user"), "bob");
    EXPECT_EQ(values.at("tier"), "gold");
    EXPECT_EQ(values.at("mods"), "a,c");
    EXPECT_FALSE(values.contains("other"));

    problems.clear();
    udf_values(fields, nullptr, problems);
    EXPECT_EQ(fields_of(problems), std::vector<std::string>{"stackscript_data.user"});

    problems.clear();
    const json::value bad = json::parse(R"({"user": 7, "tier": "bronze", "mods": "a,z"})");
    udf_values(fields, &bad, problems);
    EXPECT_EQ(fields_of(problems),
              (std::vector<std::string>{"stackscript_data.user", "stackscript_data.tier",
                                        "stackscript_data.mods"}));

    problems.clear();
    const json::value not_object = json::parse(R"(["user"])");
    udf_values(fields, &not_object, problems);
    EXPECT_EQ(fields_of(problems), std::vector<std::string>{"stackscript_data"});

    problems.clear();
    const json::value huge{{"user", std::string(70000, 'x')}};
    udf_values(fields, &huge, problems);
    EXPECT_EQ(fields_of(problems), std::vector<std::string>{"stackscript_data"});
}

}  // namespace
}  // namespace linnet::stackscripts
