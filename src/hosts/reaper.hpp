// Lost hosts: a host whose node stopped renewing its lease. Its sim Linodes move to a live host
// of their region, where their jobs are taken over once the dead node's claims run out. Its qemu
// Linodes cannot move (their disks are on that machine): they go offline with an event, their
// active jobs fail, and what they were doing is kept so that they resume if the host comes back.
// One process at a time watches the hosts: the holder of the "hosts" duty.
#pragma once

#include <cstdint>

#include "store/database.hpp"

namespace linnet::hosts {

struct Reaped {
    int hosts = 0;          // hosts marked lost
    int moved = 0;          // sim Linodes moved to a live host
    int stranded = 0;       // Linodes that stayed: no live host had room, or a qemu host's
    int nodebalancers = 0;  // NodeBalancers moved to a live host of their region
};

Reaped reap_lost_hosts(store::Transaction& tx, std::int64_t now_ms);

}  // namespace linnet::hosts
