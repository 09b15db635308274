// /network-transfer/prices: what network transfer past the pool costs, as the catalog of Linode
// prices it (per GB; some regions at their own price). Billing reads the same prices.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/json.hpp"
#include "store/inline_table.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

const filter::Schema kTransferTypes{{}, "sort"};

store::Listing transfer_prices() {
    const std::string distributed =
        to_json(json::object{{"id", "distributed_network_transfer"},
                             {"label", "Distributed Network Transfer"},
                             {"price", json::object{{"hourly", 0.01}, {"monthly", nullptr}}},
                             {"region_prices", json::array{}},
                             {"transfer", 0}});
    const std::string core = to_json(json::object{
        {"id", "network_transfer"},
        {"label", "Network Transfer"},
        {"price", json::object{{"hourly", 0.005}, {"monthly", nullptr}}},
        {"region_prices",
         json::array{json::object{{"id", "id-cgk"}, {"hourly", 0.015}, {"monthly", nullptr}},
                     json::object{{"id", "br-gru"}, {"hourly", 0.007}, {"monthly", nullptr}}}},
        {"transfer", 0}});
    return store::Listing{
        store::inline_table("network_transfer_prices", {"sort", "doc"},
                            {{std::int64_t{0}, distributed}, {std::int64_t{1}, core}}),
        kTransferTypes};
}

}  // namespace

void register_network_transfer(http::Router& router) {
    router.add(
        "GET", "/network-transfer/prices", "get-network-transfer-prices", auth::Requirement::open(),
        [](http::Context& ctx) { return list(ctx, transfer_prices()); }, true);
}

}  // namespace linnet::api
