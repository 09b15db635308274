// The vpc interfaces of a config profile, settled against their subnets before the profile is
// saved, wherever it changes (a Linode's create, a config's POST and PUT, an interface's POST and
// PUT, a clone, a backup restored to another Linode): the subnet is one of the account's, in the
// Linode's region; ipv4.vpc is the address asked for (a host of the subnet, neither its gateway
// nor another interface's), else the one the interface had there, else the subnet's first free
// one; ipv4.nat_1_1 "any" is the Linode's public IPv4, and an address asked for must be one of
// its public IPv4s that is not shared; each of ip_ranges lies within the subnet; vpc_id is the
// subnet's VPC; on the qemu driver, the Linode runs on the host of the VPC's (or a VLAN's) other
// Linodes. A problem is a 400 naming the field.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace linnet::linodes {

// How a problem of the i-th interface's field is named: "interfaces[1].subnet_id" where the
// request sent a list, "subnet_id" where it sent one interface.
using InterfaceField = std::function<std::string(std::size_t, std::string_view)>;
std::string field_in_list(std::size_t i, std::string_view field);
std::string field_alone(std::size_t i, std::string_view field);

enum class VpcAddressing {
    as_asked,    // the request's addresses, or those the interfaces had
    renumbered,  // a copy of another Linode's profile: fresh addresses, the NAT on its own IPv4
};

// Settles the vpc interfaces of `interfaces`, the list of the config `config_id` (0: a config
// not yet made) of the Linode; `before` is that config's list as stored.
void settle_vpc_interfaces(store::Transaction& tx, std::int64_t linode_id, std::int64_t config_id,
                           boost::json::array& interfaces, const boost::json::array& before,
                           const InterfaceField& field,
                           VpcAddressing addressing = VpcAddressing::as_asked);

// The host where a Linode with these interfaces must run: that of the other Linodes (but
// `except`) of the same VPC or VLAN when it runs the qemu driver, whose private networks are one
// host's segments (private_networks.hpp); nothing where any host will do. `region` and
// `account_id` are the Linode's; each interface may be as a request sent it.
std::optional<std::int64_t> segment_host(store::Transaction& tx, std::int64_t account_id,
                                         const std::string& region,
                                         const boost::json::array& interfaces, std::int64_t except);

}  // namespace linnet::linodes
