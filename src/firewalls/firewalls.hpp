// The rules of a Cloud Firewall's life: its label, status, rule versions and devices, the checks
// each change passes (one enabled firewall per Linode), and the events each records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "firewalls/firewall_repository.hpp"
#include "jobs/events.hpp"

namespace linnet::firewalls {

// Who asked, for events.
struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

struct NewFirewall {
    std::string label;
    Rules rules;
    std::vector<std::string> tags;
    std::vector<std::int64_t> linodes;
    std::vector<std::int64_t> nodebalancers;
};

// The reason a label is not a firewall's (3-32 characters, a letter first, letters, digits and
// -_. with no two -, _ or . in a row), or nullopt.
std::optional<std::string> label_problem(const std::string& label);

jobs::Entity firewall_entity(const Firewall& f);

// Creates the firewall (enabled, rules version 1) with its devices; 400 naming the field of
// what is wrong.
Firewall create(store::Transaction& tx, const Actor& actor, const NewFirewall& request);
// Label, tags and status as `f` now has them (`was` as read); enabling checks that none of its
// devices has another enabled firewall.
void update(store::Transaction& tx, const Actor& actor, Firewall& f, const Firewall& was);
// The rules become the next version (the same rules again change nothing).
void replace_rules(store::Transaction& tx, const Actor& actor, Firewall& f, const Rules& rules);
void remove(store::Transaction& tx, const Actor& actor, const Firewall& f);
// Adds a Linode or NodeBalancer; 400 when it does not exist, is a device already, or has
// another enabled firewall while this one is enabled.
Device add_device(store::Transaction& tx, const Actor& actor, const Firewall& f,
                  const std::string& type, std::int64_t entity_id);
void remove_device(store::Transaction& tx, const Actor& actor, const Firewall& f,
                   const Device& device);
// A Linode's firewalls applied again: the `firewall_apply` event.
void apply(store::Transaction& tx, const Actor& actor, std::int64_t linode_id,
           const std::string& linode_label);

}  // namespace linnet::firewalls
