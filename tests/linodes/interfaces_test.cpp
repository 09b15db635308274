// Config interfaces as requests give them: what is stored, and the field each problem names.
#include "linodes/interfaces.hpp"

#include <gtest/gtest.h>

namespace linnet::linodes {
namespace {

namespace json = boost::json;

// The fields of the 400 a list gives, or the stored list.
std::vector<std::string> problems_of(const std::string& list_json) {
    const json::object body{{"interfaces", json::parse(list_json)}};
    BodyReader reader(body);
    auto out = read_interfaces(body.at("interfaces"), reader);
    try {
        reader.finish();
    } catch (const ApiError& e) {
        std::vector<std::string> fields;
        for (const auto& d : e.details()) fields.push_back(d.field.value_or(""));
        EXPECT_FALSE(out);
        return fields;
    }
    EXPECT_TRUE(out);
    return {};
}

TEST(Interfaces, StoredWithTheirOwnIdsAndEmptyFieldsNull) {
    const json::object body;
    BodyReader reader(body);
    const auto existing = json::parse(R"([{"id":4,"purpose":"vlan"}])").as_array();
    auto out = read_interfaces(json::parse(R"([{"purpose":"public","label":"","id":99},
                        {"purpose":"vlan","label":"back-end","ipam_address":"10.0.0.1/24"}])"),
                               reader, existing);
    ASSERT_TRUE(out);
    ASSERT_EQ(out->size(), 2u);
    EXPECT_EQ((*out)[0].at("id"), 5);  // 99 is no stored interface's
    EXPECT_TRUE((*out)[0].at("label").is_null());
    EXPECT_EQ((*out)[1].at("id"), 6);
    EXPECT_EQ((*out)[1].at("label"), "back-end");
    EXPECT_EQ((*out)[1].at("ipam_address"), "10.0.0.1/24");
    EXPECT_EQ(read_interfaces(nullptr, reader)->size(), 0u);
}

TEST(Interfaces, OneSentBackWithItsIdKeepsIt) {
    const json::object body;
    BodyReader reader(body);
    const auto existing =
        json::parse(R"([{"id":7,"purpose":"public"},{"id":9,"purpose":"vlan"}])").as_array();
    auto out = read_interfaces(json::parse(R"([{"purpose":"vlan","label":"a","id":9},
                                               {"purpose":"vlan","label":"b","id":7},
                                               {"purpose":"public","id":7}])"),
                               reader, existing);
    ASSERT_TRUE(out);
    EXPECT_EQ((*out)[0].at("id"), 9);   // kept
    EXPECT_EQ((*out)[1].at("id"), 10);  // id 7 is a public interface's
    EXPECT_EQ((*out)[2].at("id"), 7);
}

TEST(Interfaces, EachProblemNamesItsField) {
    EXPECT_EQ(problems_of(R"([1])"), std::vector<std::string>{"interfaces[0]"});
    EXPECT_EQ(problems_of(R"([{"purpose":"public"},{"id":"x"}])"),
              std::vector<std::string>{"interfaces[1].purpose"});
    EXPECT_EQ(problems_of(R"([{"purpose":"vlan","label":"a--b"}])"),
              std::vector<std::string>{"interfaces[0].label"});
    EXPECT_EQ(problems_of(R"([{"purpose":"vlan","label":"a","ipam_address":"fd00::1/129"}])"),
              std::vector<std::string>{"interfaces[0].ipam_address"});
    EXPECT_EQ(problems_of(R"([{"purpose":"public"},{"purpose":"public"}])"),
              std::vector<std::string>{"interfaces[1].purpose"});
    EXPECT_EQ(problems_of(R"([{"purpose":"public","primary":true},
                              {"purpose":"vlan","label":"a"},{"purpose":"vpc","subnet_id":1}])"),
              std::vector<std::string>{});
    EXPECT_EQ(problems_of(R"([{"purpose":"vpc","subnet_id":1},{"purpose":"vpc","subnet_id":2}])"),
              std::vector<std::string>{"interfaces[1].purpose"});
    EXPECT_EQ(problems_of(R"([{"purpose":"vpc"}])"),
              std::vector<std::string>{"interfaces[0].subnet_id"});
    EXPECT_EQ(problems_of(R"([{"purpose":"public"},{"purpose":"public"},{"purpose":"public"},
                              {"purpose":"public"}])"),
              std::vector<std::string>{"interfaces"});
    EXPECT_EQ(problems_of(R"({"purpose":"public"})"), std::vector<std::string>{"interfaces"});
    EXPECT_TRUE(
        problems_of(R"([{"purpose":"vlan","label":"a","ipam_address":"fd00::1/64"}])").empty());
}

TEST(Interfaces, AnAddedOneClashesWithTheOthersByItsOwnFields) {
    const json::array existing =
        json::parse(
            R"([{"id":3,"purpose":"public","label":null,"ipam_address":null,"primary":true}])")
            .as_array();
    const json::object pub{{"purpose", "public"}};
    BodyReader reader(pub);
    EXPECT_FALSE(read_added_interface(pub, reader, existing));
    EXPECT_THROW(reader.finish(), ApiError);
    const json::object vlan{{"purpose", "vlan"}, {"label", "v1"}};
    BodyReader fine(vlan);
    auto added = read_added_interface(vlan, fine, existing);
    ASSERT_TRUE(added);
    EXPECT_EQ(added->at("id"), 4);
    EXPECT_EQ(added->at("primary"), false);
}

TEST(Interfaces, NextIdIgnoresIdsNoOneAssigned) {
    EXPECT_EQ(next_interface_id(json::parse(R"([{"id":2},{"id":9223372036854775807}])").as_array()),
              3);
    EXPECT_EQ(next_interface_id(json::array{}), 1);
}

}  // namespace
}  // namespace linnet::linodes
