// Linnet's price list, as the catalog of Linode prices it: a plan's prices come with its type
// (/linode/types), and these documents are the types of volumes, NodeBalancers, images and network
// transfer that /volumes/types, /nodebalancers/types and /network-transfer/prices answer. Billing
// reads the same documents, so what the API quotes is what an invoice charges.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>

namespace linnet::billing {

// Money in millionths of a dollar, so that hourly prices of fractions of a cent stay exact.
struct Price {
    std::int64_t hourly_micros = 0;
    std::int64_t monthly_micros = 0;
};

// A type document's price in a region: its region_prices entry for the region, else its price.
// `doc` is a type (or an add-on) with "price" and "region_prices".
Price price_in(const boost::json::object& doc, const std::string& region);

// Per GB and month (volumes, images) or per NodeBalancer.
const boost::json::object& volume_type();
const boost::json::object& nodebalancer_type();
const boost::json::object& image_storage_type();
// Per GB past the transfer pool: distributed_network_transfer and network_transfer.
const boost::json::array& transfer_types();

// A network transfer price per GB in micro-dollars, for a region.
std::int64_t transfer_micros_per_gb(const std::string& region);

}  // namespace linnet::billing
