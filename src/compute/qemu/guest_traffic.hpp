// The network traffic of guests on loopback networking, where QEMU's user network keeps no
// counts: each Linode's QEMU runs in a cgroup (v2) of its own, and nftables counts the bytes its
// sockets receive (the guest's inbound) and send (its outbound). One table per linnetd, named
// after its data folder, so that servers beside each other on a host keep theirs apart.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace linnet::compute::guest_traffic {

struct Bytes {
    double in = 0;
    double out = 0;
};

// Where cgroup v2 is mounted, from /proc/self/mounts' text; nullopt when it is not.
std::optional<std::filesystem::path> cgroup2_mount(std::string_view mounts);

// The nft script that makes `table` count each of `linodes`: a counter pair per Linode and one
// rule per direction matching sockets of the cgroup `cgroup_of(id)` (nft's path, under
// /sys/fs/cgroup) at `level`. Rules are rewritten whole; counters keep their counts.
std::string ruleset(const std::string& table, const std::set<std::int64_t>& linodes,
                    const std::map<std::int64_t, std::string>& cgroup_of, int level);

// The counts in `nft -j list counters table inet T`'s output, by Linode.
std::map<std::int64_t, Bytes> parse_counters(std::string_view json);

class Accounting {
  public:
    // `data`: the server's data folder (names its table and cgroups).
    explicit Accounting(const std::filesystem::path& data);

    // Makes the Linode's cgroup and counters; answers the cgroup.procs file its QEMU joins
    // before it starts, or nullopt when this host cannot count (the reason is logged once).
    std::optional<std::filesystem::path> enter(std::int64_t linode_id);
    // Bytes each counted Linode's guest has received and sent since it was first counted.
    std::map<std::int64_t, Bytes> read();
    // A deleted Linode: its processes, cgroup and counters go.
    void forget(std::int64_t linode_id);

    // The nft match for the sockets of a counted Linode's QEMU (`socket cgroupv2 level L
    // "PATH"`), or nullopt when it is not counted (no cgroup of its own).
    std::optional<std::string> socket_match(std::int64_t linode_id);

    const std::string& table() const { return table_; }
    const std::filesystem::path& cgroup_root() const { return root_; }

  private:
    bool ready();  // the mount is found and nft answers; false (logged once) otherwise
    void apply();  // writes the rules for `linodes_`
    std::filesystem::path cgroup(std::int64_t linode_id) const;

    std::mutex mutex_;
    std::filesystem::path data_;
    std::string table_;
    std::filesystem::path mount_;  // cgroup v2's mount point
    std::filesystem::path root_;   // this server's cgroups: MOUNT/linnet/<table>
    std::optional<bool> ready_;
    std::set<std::int64_t> linodes_;
};

}  // namespace linnet::compute::guest_traffic
