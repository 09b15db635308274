// Whether each member of a placement group keeps its rule, from the hosts its members run on.
#include "placement/placement_group_repository.hpp"

#include <gtest/gtest.h>

namespace linnet::placement {
namespace {

PlacementGroup group(const std::string& type, std::vector<std::optional<std::int64_t>> hosts) {
    PlacementGroup g;
    g.type = type;
    std::int64_t id = 1;
    for (const auto& host : hosts) g.members.push_back({id++, host});
    return g;
}

TEST(PlacementCompliance, AntiAffinityWantsAHostPerMember) {
    EXPECT_EQ(compliance(group("anti_affinity:local", {1, 2, 3})),
              (std::vector<bool>{true, true, true}));
    EXPECT_EQ(compliance(group("anti_affinity:local", {1, 2, 1})),
              (std::vector<bool>{false, true, false}));
    // A member not placed yet breaks nothing.
    EXPECT_EQ(compliance(group("anti_affinity:local", {std::nullopt, 2})),
              (std::vector<bool>{true, true}));
    EXPECT_TRUE(compliance(group("anti_affinity:local", {})).empty());
}

TEST(PlacementCompliance, AffinityWantsTheFirstPlacedMembersHost) {
    EXPECT_EQ(compliance(group("affinity:local", {4, 4, 4})),
              (std::vector<bool>{true, true, true}));
    EXPECT_EQ(compliance(group("affinity:local", {4, 5, 4})),
              (std::vector<bool>{true, false, true}));
    EXPECT_EQ(compliance(group("affinity:local", {std::nullopt, 5, 4})),
              (std::vector<bool>{true, true, false}));
}

TEST(PlacementCompliance, TheDocumentSaysWhoKeepsTheRule) {
    auto g = group("anti_affinity:local", {1, 1});
    g.id = 9;
    g.label = "pair";
    g.region = "us-east";
    g.policy = "flexible";
    const auto doc = boost::json::parse(render(g)).as_object();
    EXPECT_FALSE(doc.at("is_compliant").as_bool());
    EXPECT_EQ(boost::json::serialize(doc.at("members")),
              R"([{"linode_id":1,"is_compliant":false},{"linode_id":2,"is_compliant":false}])");
    EXPECT_TRUE(doc.at("migrations").is_null());
    EXPECT_EQ(summary(g).at("placement_group_policy").as_string(), "flexible");
}

}  // namespace
}  // namespace linnet::placement
