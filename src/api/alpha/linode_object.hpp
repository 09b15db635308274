// The 2016 linode object, rendered from the same stored Linode the modern API shows: its id as
// "linode_N", state, ip_addresses, datacenter, distribution and services from the 2016 catalog.
#pragma once

#include <boost/json.hpp>

#include "linodes/instances.hpp"
#include "store/database.hpp"

namespace linnet::api::alpha {

boost::json::object linode_object(store::Transaction& tx, const linodes::Instance& linode);

}  // namespace linnet::api::alpha
