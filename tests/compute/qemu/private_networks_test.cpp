// Private networks on loopback networking: segments, MAC addresses, QEMU's arguments and the
// guest's network files.
#include "compute/qemu/private_networks.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <set>

namespace linnet::compute::private_networks {
namespace {

TEST(PrivateNetworks, ASegmentIsStableAndApartFromOthers) {
    const auto vpc = segment_of("/var/lib/linnet", "vpc/7");
    EXPECT_EQ(vpc.group, segment_of("/var/lib/linnet", "vpc/7").group);
    EXPECT_EQ(vpc.port, segment_of("/var/lib/linnet", "vpc/7").port);
    std::set<std::pair<std::string, int>> seen;
    for (const char* seed : {"/var/lib/linnet", "/tmp/other"})
        for (const char* network : {"vpc/7", "vpc/8", "vlan/1/us-east/a", "vlan/2/us-east/a"}) {
            const auto s = segment_of(seed, network);
            EXPECT_TRUE(seen.insert({s.group, s.port}).second) << seed << " " << network;
            in_addr a{};
            ASSERT_EQ(inet_pton(AF_INET, s.group.c_str(), &a), 1) << s.group;
            EXPECT_EQ(ntohl(a.s_addr) & 0xfffc0000u, 0xefc00000u) << s.group;  // 239.192.0.0/14
            EXPECT_GE(s.port, 20000);
            EXPECT_LT(s.port, 60000);
        }
}

TEST(PrivateNetworks, NicsOfALinode) {
    EXPECT_EQ(mac_of(0x0a0b0c, 0), "52:4c:0a:0b:0c:01");
    EXPECT_EQ(mac_of(0x0a0b0c, 2), "52:4c:0a:0b:0c:03");
    const std::vector<PrivateNic> nics{{"vpc/7", {"10.0.0.2/24"}, {"10.0.1.0/24"}},
                                       {"vlan/1/us-east/db", {}, {}}};
    const auto args = qemu_args("/d", 12, nics);
    ASSERT_EQ(args.size(), 8u);
    const auto segment = segment_of("/d", "vpc/7");
    EXPECT_EQ(args[0], "-netdev");
    EXPECT_EQ(args[1], "socket,id=private0,mcast=" + segment.group + ":" +
                           std::to_string(segment.port) + ",localaddr=127.0.0.1");
    EXPECT_EQ(args[3], "virtio-net-pci,netdev=private0,romfile=,mac=52:4c:00:00:0c:01");
    EXPECT_EQ(args[7], "virtio-net-pci,netdev=private1,romfile=,mac=52:4c:00:00:0c:02");
}

TEST(PrivateNetworks, TheGuestsFileNamesItsAddressesAndRoutes) {
    const auto file = networkd_file(12, 0, {"vpc/7", {"10.0.0.2/24"}, {"10.0.1.0/24"}});
    EXPECT_EQ(file,
              "[Match]\nMACAddress=52:4c:00:00:0c:01\n\n[Network]\nLinkLocalAddressing=no\n"
              "IPv6AcceptRA=no\nAddress=10.0.0.2/24\n\n[Route]\nDestination=10.0.1.0/24\n"
              "Scope=link\n");
    // Named before the image's own DHCP file, which would otherwise match the NIC.
    EXPECT_LT(networkd_path(2), std::string("/etc/systemd/network/10-dhcp.network"));
}

}  // namespace
}  // namespace linnet::compute::private_networks
