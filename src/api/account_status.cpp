// What the account's overview pages read: notifications and maintenance (from the state of the
// account's Linodes and their hosts), and network transfer (the pools that the account's Linodes'
// plans bring, and what they sent).
#include <boost/json.hpp>

#include "account/notification_repository.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "billing/invoicing.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/month.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

// This month's transfer pools in GB: the global one at the top, and those of the regions that
// price transfer on their own in region_transfers.
http::Response transfer(http::Context& ctx) {
    const std::int64_t now = clock::unix_seconds();
    json::object out{{"quota", 0}, {"used", 0}, {"billable", 0}};
    json::array regions;
    for (const auto& pool :
         billing::transfer_pools(ctx.tx(), ctx.tx().scope().account_id(), month_at(now), now)) {
        json::object counts{
            {"quota", pool.quota}, {"used", pool.used}, {"billable", pool.billable}};
        if (pool.region.empty()) {
            out = std::move(counts);
            continue;
        }
        counts["id"] = pool.region;
        regions.push_back(std::move(counts));
    }
    out["region_transfers"] = std::move(regions);
    return http::Response::json(to_json(out));
}

}  // namespace

void register_account_status(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/account/notifications", "get-notifications",
               Requirement::of("account:read_only"), [](http::Context& ctx) {
                   bool billing = true;
                   try {
                       auth::require_account(ctx.tx(), ctx.caller(), auth::Permission::read_only);
                   } catch (const ApiError&) {
                       billing = false;
                   }
                   return list(ctx, account::NotificationRepository::notifications(
                                        auth::visible_linodes(ctx.caller(), "l.id"), billing));
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
