// Segments, NICs and the guest's network files of private networks.
#include "compute/qemu/private_networks.hpp"

#include <cstdio>

namespace linnet::compute::private_networks {

namespace {

// FNV-1a: stable across builds and processes, unlike std::hash.
std::uint64_t fnv1a(const std::string& text) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

}  // namespace

Segment segment_of(const std::string& seed, const std::string& network) {
    const std::uint64_t h = fnv1a(seed + "\n" + network);
    // 239.192.0.0/14: 18 bits of group; the port from other bits.
    const std::uint32_t low = static_cast<std::uint32_t>(h & 0x3ffff);
    char group[32];
    std::snprintf(group, sizeof group, "239.%u.%u.%u", 192 + (low >> 16), (low >> 8) & 0xff,
                  low & 0xff);
    return {group, 20000 + static_cast<int>((h >> 18) % 40000)};
}

std::string mac_of(std::int64_t linode_id, std::size_t n) {
    // Locally administered (0x52), the Linode's id in three bytes, the NIC's number last.
    const auto id = static_cast<std::uint32_t>(linode_id);
    char mac[24];
    std::snprintf(mac, sizeof mac, "52:4c:%02x:%02x:%02x:%02x", (id >> 16) & 0xff, (id >> 8) & 0xff,
                  id & 0xff, static_cast<unsigned>(n + 1) & 0xff);
    return mac;
}

std::vector<std::string> qemu_args(const std::string& seed, std::int64_t linode_id,
                                   const std::vector<PrivateNic>& nics) {
    std::vector<std::string> args;
    for (std::size_t n = 0; n < nics.size() && n < kMaxNics; ++n) {
        const auto segment = segment_of(seed, nics[n].network);
        const std::string id = "private" + std::to_string(n);
        args.insert(
            args.end(),
            {"-netdev",
             "socket,id=" + id + ",mcast=" + segment.group + ":" + std::to_string(segment.port) +
                 ",localaddr=127.0.0.1",
             "-device", "virtio-net-pci,netdev=" + id + ",romfile=,mac=" + mac_of(linode_id, n)});
    }
    return args;
}

std::string networkd_file(std::int64_t linode_id, std::size_t n, const PrivateNic& nic) {
    std::string s = "[Match]\nMACAddress=" + mac_of(linode_id, n) +
                    "\n\n[Network]\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n";
    for (const auto& a : nic.addresses) s += "Address=" + a + "\n";
    for (const auto& r : nic.routes) s += "\n[Route]\nDestination=" + r + "\nScope=link\n";
    return s;
}

std::string networkd_path(std::size_t n) {
    return "/etc/systemd/network/05-linnet-private" + std::to_string(n) + ".network";
}

}  // namespace linnet::compute::private_networks
