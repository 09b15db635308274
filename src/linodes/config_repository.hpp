// A Linode's config profiles (the configs table, one document per profile) and their interfaces
// (config_interfaces, a row each, in order) with the addresses of vpc interfaces (vpc_ips: the
// address and each routed range, a row each): every statement on them lives in
// config_repository.cpp. The documents it answers carry their interfaces, each `active` while
// its Linode runs the config.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/listing.hpp"

namespace linnet::linodes {

class ConfigRepository {
  public:
    explicit ConfigRepository(store::Transaction& tx) : tx_(tx) {}

    // The profile only when it belongs to the Linode.
    std::optional<boost::json::object> find_of(std::int64_t linode_id, std::int64_t id);
    std::optional<boost::json::object> find(std::int64_t id);
    std::vector<boost::json::object> of_linode(std::int64_t linode_id);
    std::optional<std::int64_t> first_id(std::int64_t linode_id);
    // The Linode's first config (the one it boots when none is named).
    std::optional<boost::json::object> first_of(std::int64_t linode_id);
    // Announce the reads of find_of and first_of (Transaction::read_ahead).
    void read_ahead_find_of(std::int64_t linode_id, std::int64_t id);
    void read_ahead_first_of(std::int64_t linode_id);
    // Announces first_id's read.
    void read_ahead_first_id(std::int64_t linode_id);

    // Adds the profile and answers its id, which the stored document carries.
    std::int64_t insert(std::int64_t linode_id, boost::json::object config);
    // Writes the document (its id names the row) and its label back.
    void save(const boost::json::object& config);
    void remove(std::int64_t id);
    // Empties every device slot of the Linode's configs that holds the disk (`key` "disk_id")
    // or the volume ("volume_id") with this id.
    void clear_devices(std::int64_t linode_id, std::string_view key, std::int64_t id);
    void remove_all(std::int64_t linode_id);
    // The addresses the vpc interfaces of other configs than `except_config_id` hold in the
    // subnet (of any account: a subnet is its VPC's account's).
    std::vector<std::string> vpc_addresses(std::int64_t subnet_id, std::int64_t except_config_id);
    // Whether one of the Linode's configs has an interface in a VPC subnet.
    bool in_vpc(std::int64_t linode_id);
    // Whether one of the Linode's configs has a vlan interface.
    bool in_vlan(std::int64_t linode_id);

    store::Listing listing(std::int64_t linode_id);
    // The account's VLANs: the labels of its vlan interfaces, by region, with the Linodes
    // (among those `visible`, a condition on l.id) attached to each.
    static store::Listing vlan_listing(const std::pair<std::string, store::Params>& visible);

  private:
    // How write() writes a config: its row inserted whole (an id set aside), or the row just
    // inserted (no interface rows to clear yet), or an existing one.
    enum class Write { insert, fresh, update };
    // Writes the document and the interface rows of a config of `linode_id`.
    void write(const boost::json::object& config, std::int64_t linode_id, Write how);
    void add_vpc_ips(std::int64_t config_id, std::int64_t linode_id,
                     const boost::json::object& itf);

    store::Transaction& tx_;
};

}  // namespace linnet::linodes
