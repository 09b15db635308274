// Private networks of Linodes on loopback networking: each VLAN and each VPC is one Ethernet
// segment, a multicast group on 127.0.0.1 that the QEMU of every Linode on it joins (QEMU's
// `socket` netdev with `mcast` and `localaddr`), so the Linodes of one host on one segment reach
// each other and nobody else does. The guest's side is a systemd-networkd file per NIC, written
// into its root disk at each boot while the config's Network Helper is on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compute/driver.hpp"

namespace linnet::compute::private_networks {

// The multicast groups the segments use (organization-local scope): traffic to them is the
// segments' own, apart from the guests' public traffic (firewalls, transfer counters).
inline constexpr const char* kGroups = "239.192.0.0/14";

struct Segment {
    std::string group;  // 239.192.0.0/14
    int port = 0;       // 20000-59999
};

// The segment of `network` for the server whose data folder is `seed`: the same on every start,
// and apart from other servers' segments on the same machine.
Segment segment_of(const std::string& seed, const std::string& network);

// The MAC address of the guest's n-th private NIC (from 0).
std::string mac_of(std::int64_t linode_id, std::size_t n);

// QEMU's arguments for the NICs, in order.
std::vector<std::string> qemu_args(const std::string& seed, std::int64_t linode_id,
                                   const std::vector<PrivateNic>& nics);

// The systemd-networkd file of the n-th NIC: its addresses, and its routes on the link.
std::string networkd_file(std::int64_t linode_id, std::size_t n, const PrivateNic& nic);

// The most private NICs a config has (three interfaces, one of them public or not).
inline constexpr std::size_t kMaxNics = 3;

// The path of the n-th NIC's file in the guest (before the image's own DHCP file, which
// matches every NIC, so that it wins for its NIC).
std::string networkd_path(std::size_t n);

}  // namespace linnet::compute::private_networks
