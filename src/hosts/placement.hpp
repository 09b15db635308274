// Placement: each Linode runs on one host of its region, chosen among the live, active hosts
// with room for its plan (the emptiest first). Hosts keep the sum of their Linodes' plans, which
// every change of a Linode's host or plan goes through here to adjust.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "hosts/host_repository.hpp"
#include "store/database.hpp"

namespace linnet::hosts {

// A plan's share of a host.
struct Size {
    std::int64_t memory = 0;  // MB
    std::int64_t disk = 0;    // MB
};

// The size of a Linode type, or nothing for a type the catalog lacks.
Size size_of_type(store::Transaction& tx, const std::string& type);
// The size a type's catalog document gives.
Size size_of(const boost::json::object& type);

// Chooses the host of a new Linode of `type` (its catalog document) and takes its share there;
// 400 (field region) when no live host of the region has room.
// With a choice (a placement group's), only among the hosts it allows; nullopt when none of
// those has room.
Host place(store::Transaction& tx, const std::string& region, const boost::json::object& type);
std::optional<Host> place_among(store::Transaction& tx, const std::string& region,
                                const boost::json::object& type, const Choice& choice);

// The Linode is gone: its host gets its plan's share back.
void release(store::Transaction& tx, std::int64_t linode_id, const std::string& type);
// The Linode's plan changed on its host.
void resize(store::Transaction& tx, std::int64_t linode_id, const std::string& from_type,
            const std::string& to_type);
// Moves a Linode to the emptiest other live host of `region` with room (its host_uuid with
// it); false, and the Linode stays, when there is none.
bool move(store::Transaction& tx, const Placed& linode, const std::string& region);

}  // namespace linnet::hosts
