// The rules of placement groups: which Linodes may join (one region, one group each, within the
// region's limits), how a group's rule (anti-affinity or affinity) chooses the host of a new
// member, what a strict group refuses, and the events each change records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hosts/host_repository.hpp"
#include "jobs/events.hpp"
#include "placement/placement_group_repository.hpp"

namespace linnet::placement {

struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

struct NewGroup {
    std::string label;
    std::string region;
    std::string type;
    std::string policy;
};

jobs::Entity group_entity(const PlacementGroup& g);

PlacementGroup create(store::Transaction& tx, const Actor& actor, const NewGroup& request);
// A new label; the members' documents show it.
void rename(store::Transaction& tx, const Actor& actor, PlacementGroup& g,
            const std::string& label);
// 400 while the group has members.
void remove(store::Transaction& tx, const Actor& actor, const PlacementGroup& g);
// Adds the Linodes (of the group's region, in no group) within the region's limit; a strict
// group refuses any that would break its rule.
void assign(store::Transaction& tx, const Actor& actor, PlacementGroup& g,
            const std::vector<std::int64_t>& linodes);
void unassign(store::Transaction& tx, const Actor& actor, PlacementGroup& g,
              const std::vector<std::int64_t>& linodes);

// The hosts a new member may be placed on to keep the group's rule.
hosts::Choice choice_for(const PlacementGroup& g);
// Checks that the group can take one more member of `region` (field `field`).
void check_room(store::Transaction& tx, const PlacementGroup& g, const std::string& region,
                const std::string& field);

}  // namespace linnet::placement
