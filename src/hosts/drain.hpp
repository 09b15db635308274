// Draining: a host (or every host of a node) stops taking new Linodes and gives up those it
// has. Sim Linodes move at once to the emptiest live host of their region; qemu Linodes cannot
// move by themselves (their disks are on that machine): a migration is scheduled for each, as
// maintenance that the account is shown later. Activating a host lets it take Linodes again.
#pragma once

#include <optional>
#include <string>

#include "store/database.hpp"

namespace linnet::hosts {

struct Drained {
    int hosts = 0;
    int moved = 0;      // sim Linodes now on another host
    int scheduled = 0;  // qemu Linodes with a migration scheduled
    int stayed = 0;     // sim Linodes for which no live host had room
};

// Drains the host `name`, or every host of the node `name`; nullopt when neither exists.
std::optional<Drained> drain(store::Transaction& tx, const std::string& name);
// The host `name` (or every host of the node `name`) takes Linodes again; false when neither
// exists.
bool activate(store::Transaction& tx, const std::string& name);

}  // namespace linnet::hosts
