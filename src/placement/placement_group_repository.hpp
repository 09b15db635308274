// The placement groups aggregate's tables: placement_groups (one row per group) and
// placement_group_members (its Linodes, each in one group at most). Every statement on them
// lives in placement_group_repository.cpp.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/listing.hpp"

namespace linnet::placement {

struct Member {
    std::int64_t linode_id = 0;
    std::optional<std::int64_t> host_id;  // where placement put the Linode
};

struct PlacementGroup {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string label;
    std::string region;
    std::string type;             // anti_affinity:local | affinity:local
    std::string policy;           // strict | flexible
    std::vector<Member> members;  // in the order they joined
    std::string created;
    std::string updated;
};

// Whether each member keeps the group's rule: anti-affinity, a host no other member has;
// affinity, the host of the first member placed. In the members' order.
std::vector<bool> compliance(const PlacementGroup& g);

class PlacementGroupRepository {
  public:
    explicit PlacementGroupRepository(store::Transaction& tx) : tx_(tx) {}
    // The Linode leaves its placement group (it goes to another account).
    void release_linode(std::int64_t linode_id);

    std::int64_t insert(const PlacementGroup& g);
    // The group with its members (of the scope's account); locked on engines that lock rows.
    std::optional<PlacementGroup> find(std::int64_t id);
    void save(PlacementGroup& g);
    void remove(std::int64_t id);
    bool label_taken(const std::string& label, std::int64_t except_id);
    void add_member(std::int64_t group_id, std::int64_t linode_id);
    void remove_member(std::int64_t group_id, std::int64_t linode_id);
    // The group a Linode is a member of.
    std::optional<std::int64_t> group_of(std::int64_t linode_id);
    // How a Linode shows the group it is a member of (summary()), read without locking.
    std::optional<boost::json::object> summary_of(std::int64_t linode_id);
    // Announces summary_of's read (Transaction::read_ahead).
    void read_ahead_summary_of(std::int64_t linode_id);
    std::vector<std::pair<std::int64_t, std::string>> names();

    static store::Listing listing(const std::pair<std::string, store::Params>& visible);

  private:
    store::Transaction& tx_;
};

// {id, label, placement_group_type, placement_group_policy, migrating_to} as a Linode shows
// the group it is a member of.
boost::json::object summary(const PlacementGroup& g);
std::string render(const PlacementGroup& g);

}  // namespace linnet::placement
