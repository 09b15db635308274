// The Cloud Firewalls aggregate's tables: firewalls (one row each), firewall_tags, firewall_rules
// (every version of a firewall's rules; the newest is in force) and firewall_devices (the Linodes
// and NodeBalancers a firewall protects). Every statement on them lives in firewall_repository.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "firewalls/rules.hpp"
#include "store/listing.hpp"

namespace linnet::firewalls {

struct Firewall {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string label;
    std::string status = "enabled";  // enabled | disabled
    std::int64_t rules_version = 1;
    Rules rules;  // the version in force
    std::vector<std::string> tags;
    std::vector<std::string> stored_tags;  // as read: save rewrites tag rows when `tags` differs
    std::string created;
    std::string updated;
};

struct Device {
    std::int64_t id = 0;
    std::int64_t firewall_id = 0;
    std::string type;  // linode | nodebalancer
    std::int64_t entity_id = 0;
    std::string label;  // the Linode's (or NodeBalancer's) label, read with the device
    std::string created;
    std::string updated;
};

// One version of a firewall's rules.
struct RulesVersion {
    std::int64_t version = 0;
    Rules rules;
    std::string status;  // the firewall's status when the version was made
    std::string created;
};

class FirewallRepository {
  public:
    explicit FirewallRepository(store::Transaction& tx) : tx_(tx) {}
    // The Linode leaves every firewall (it goes to another account); answers how many.
    std::int64_t release_linode(std::int64_t linode_id);

    // Inserts the firewall into the transaction's account with its tags and its rules as
    // version 1; answers its id.
    std::int64_t insert(const Firewall& f);
    // The firewall with its rules in force (of the scope's account, or any in the system scope);
    // locked until the transaction ends on engines that lock rows.
    std::optional<Firewall> find(std::int64_t id);
    // Writes label, status, tags and the time of the change.
    void save(Firewall& f);
    // Makes `f.rules` the next version, in force from now.
    void add_rules_version(Firewall& f);
    void remove(std::int64_t id);
    bool label_taken(const std::string& label, std::int64_t except_id);
    std::optional<RulesVersion> rules_version(std::int64_t firewall_id, std::int64_t version);
    // Every firewall's id and label, by id.
    std::vector<std::pair<std::int64_t, std::string>> names();

    // Devices.
    std::int64_t add_device(std::int64_t firewall_id, const std::string& type,
                            std::int64_t entity_id);
    std::optional<Device> find_device(std::int64_t firewall_id, std::int64_t device_id);
    std::optional<Device> device_for(std::int64_t firewall_id, const std::string& type,
                                     std::int64_t entity_id);
    void remove_device(std::int64_t device_id);
    // The Linode or NodeBalancer is gone: it is no firewall's device any more.
    void remove_devices_of(const std::string& type, std::int64_t entity_id);
    std::vector<Device> devices_of(std::int64_t firewall_id);
    // The ids of the enabled firewalls a Linode (or NodeBalancer) is a device of, but `except`.
    std::vector<std::int64_t> enabled_firewalls_of(const std::string& type, std::int64_t entity_id,
                                                   std::int64_t except = 0);
    // The firewalls a Linode is a device of (enabled or not), by id.
    std::vector<Firewall> of_linode(std::int64_t linode_id);

    // The rules in force for each guarded Linode placed on the hosts of `node` (system scope).
    std::map<std::int64_t, Rules> enforced_on_node(const std::string& node);

    // The account's firewalls as GET /networking/firewalls lists them.
    static store::Listing listing(const std::pair<std::string, store::Params>& visible);
    // The firewalls a Linode is a device of.
    static store::Listing of_linode_listing(std::int64_t linode_id,
                                            const std::pair<std::string, store::Params>& visible);
    // The firewalls a NodeBalancer is a device of.
    static store::Listing of_nodebalancer_listing(
        std::int64_t nodebalancer_id, const std::pair<std::string, store::Params>& visible);
    // A firewall's devices.
    static store::Listing device_listing(std::int64_t firewall_id);
    // A firewall's rule versions, oldest first.
    static store::Listing history(std::int64_t firewall_id);

  private:
    store::Transaction& tx_;
};

// The documents the API shows.
std::string render(const Firewall& f, const std::vector<Device>& devices);
boost::json::object render_rules(const Rules& rules, std::int64_t version);
std::string render(const Device& d);

}  // namespace linnet::firewalls
