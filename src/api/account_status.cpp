// What the account's overview pages read: notifications and maintenance (from the state of the
// account's Linodes and their hosts), and network transfer (the pool that the account's Linodes'
// plans bring; no use counted yet).
#include <boost/json.hpp>

#include "account/notification_repository.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/json.hpp"
#include "linodes/instances.hpp"
#include "linodes/linode_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

// The monthly transfer pool in GB: each Linode's plan brings its `transfer`; the pool of each
// region with Linodes is listed as well.
http::Response transfer(http::Context& ctx) {
    std::map<std::string, std::int64_t> by_region;
    std::int64_t quota = 0;
    for (const auto& plan : linodes::LinodeRepository(ctx.tx()).plans()) {
        auto type = linodes::find_type(ctx.tx(), plan.type);
        if (!type) continue;
        const std::int64_t gb = type->at("transfer").to_number<std::int64_t>() * plan.count;
        by_region[plan.region] += gb;
        quota += gb;
    }
    json::array regions;
    for (const auto& [region, gb] : by_region)
        regions.push_back(
            json::object{{"id", region}, {"quota", gb}, {"used", 0}, {"billable", 0}});
    return http::Response::json(to_json(json::object{
        {"quota", quota}, {"used", 0}, {"billable", 0}, {"region_transfers", regions}}));
}

}  // namespace

void register_account_status(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/account/notifications", "get-notifications",
               Requirement::of("account:read_only"), [](http::Context& ctx) {
                   return list(ctx, account::NotificationRepository::notifications(
                                        auth::visible_linodes(ctx.caller(), "l.id")));
               });
    router.add("GET", "/account/maintenance", "get-maintenance", Requirement::token(),
               [](http::Context& ctx) {
                   return list(ctx, account::NotificationRepository::maintenance(
                                        auth::visible_linodes(ctx.caller(), "l.id")));
               });
    router.add("GET", "/account/transfer", "get-transfer", Requirement::of("account:read_only"),
               transfer);
}

}  // namespace linnet::api
