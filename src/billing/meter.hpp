// The meter: what each entity is billed for, from the moment it is. Every write that changes
// what an entity costs (a Linode's plan, region, backups or account; a volume's size; a
// NodeBalancer or an image coming or going) calls it in the same transaction; it closes the
// usage lines that no longer hold and opens the ones that now do, at the catalog's prices of
// that moment. Nothing else writes usage.
#pragma once

#include <cstdint>
#include <string>

#include "store/database.hpp"

namespace linnet::linodes {
struct Instance;
}
namespace linnet::volumes {
struct Volume;
}
namespace linnet::nodebalancers {
struct NodeBalancer;
}
namespace linnet::images {
struct PrivateImage;
}

namespace linnet::billing {

// `first`: the Linode is saved for the first time, in its insert's transaction (no line of it
// runs yet, and none is read).
void meter(store::Transaction& tx, const linodes::Instance& linode, bool first = false);
void meter(store::Transaction& tx, const volumes::Volume& volume);
void meter(store::Transaction& tx, const nodebalancers::NodeBalancer& nodebalancer);
void meter(store::Transaction& tx, const images::PrivateImage& image);

// The entity is gone: its lines end now.
void stop(store::Transaction& tx, const std::string& entity_type, std::int64_t entity_id);

}  // namespace linnet::billing
