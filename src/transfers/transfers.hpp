// The rules of entity transfers: an account offers some of its Linodes (not busy, with no volume
// attached, no interface in a VPC or VLAN, no NodeBalancer sending to them, in no other pending
// transfer) under a token that lasts a
// day; the sender may cancel it while it is pending; an unrestricted user of another account
// accepts it, and the Linodes move there with their disks, configs, addresses, backups and
// events, leaving the sender's firewalls, placement groups, grants and IP shares behind, each
// under a label free in its new account.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "transfers/transfer_repository.hpp"

namespace linnet::transfers {

inline constexpr std::int64_t kTransferSeconds = 24 * 3600;

struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

// 400 naming entities.linodes when a Linode cannot go.
Transfer create(store::Transaction& tx, const Actor& actor,
                const std::vector<std::int64_t>& linodes);
// 404 unless it is the scope's account's; 400 unless it is pending.
void cancel(store::Transaction& tx, const Actor& actor, const std::string& token);
// Moves the Linodes to the scope's account (the accepting user's). 404 when no transfer has the
// token; 400 when it is not pending, is the account's own, or a Linode cannot go now.
void accept(store::Transaction& tx, const Actor& actor, const std::string& token);

}  // namespace linnet::transfers
