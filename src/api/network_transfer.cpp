// /network-transfer/prices: what network transfer past the pool costs, as the catalog of Linode
// prices it (per GB; some regions at their own price). Billing reads the same prices.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "billing/prices.hpp"
#include "core/json.hpp"
#include "store/inline_table.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

const filter::Schema kTransferTypes{{}, "sort"};

store::Listing transfer_prices() {
    std::vector<store::Params> rows;
    for (const auto& doc : billing::transfer_types())
        rows.push_back({static_cast<std::int64_t>(rows.size()), to_json(doc)});
    return store::Listing{store::inline_table("network_transfer_prices", {"sort", "doc"}, rows),
                          kTransferTypes};
}

}  // namespace

void register_network_transfer(http::Router& router) {
    router.add(
        "GET", "/network-transfer/prices", "get-network-transfer-prices", auth::Requirement::open(),
        [](http::Context& ctx) { return list(ctx, transfer_prices()); }, true);
}

}  // namespace linnet::api
