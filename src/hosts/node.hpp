// The hosts a worker process (a node) presents. On the qemu driver that is the machine itself:
// its cores, its memory and its data folder's filesystem (disk images are sparse: plans up to
// four times its size fit). On the sim driver it is `sim_hosts` virtual hosts in every region
// that offers Linodes, each a large machine (256 vCPUs, 4 TiB of memory, 256 TiB of disk), so that
// placement has room on one real machine, as Linode has many hosts per region.
#pragma once

#include <string>
#include <vector>

#include "hosts/host_repository.hpp"
#include "store/database.hpp"

namespace linnet::hosts {

struct NodeOptions {
    std::string node;                  // the process's --host
    std::string driver = "sim";        // sim | qemu
    unsigned sim_hosts = 8;            // virtual hosts per region (sim)
    std::vector<std::string> regions;  // the regions a qemu host serves (none: every region)
    std::string data;                  // the data folder (qemu: its filesystem's size)
};

// The node's hosts as they would be enrolled now, their leases running until `lease_until_ms`.
std::vector<Host> hosts_of_node(store::Transaction& tx, const NodeOptions& options,
                                std::int64_t lease_until_ms);

// Enrols (or takes back) the hosts, then places the Linodes that have no host yet (made before
// hosts existed) on the emptiest live host of their regions.
void enrol(store::Transaction& tx, const std::vector<Host>& hosts);

// One process serves a SQLite store, on one machine: every Linode in it is that machine's. A
// node starting on such a store takes over the Linodes of hosts that are not live (those of an
// earlier --host name, or of the machine's old host name) onto its own hosts, whatever their
// driver. Answers how many moved.
int take_over_strays(store::Transaction& tx, const std::string& node, std::int64_t now_ms);

}  // namespace linnet::hosts
