// /account/entity-transfers and /account/service-transfers (the same transfers under the newer
// name): offering Linodes to another account, cancelling the offer, and accepting it.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "transfers/transfers.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

transfers::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

http::Response create(http::Context& ctx) {
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    std::vector<std::int64_t> ids;
    const auto* entities = body.if_contains("entities");
    const auto* list =
        entities && entities->is_object() ? entities->as_object().if_contains("linodes") : nullptr;
    if (!list || !list->is_array()) {
        reader.fail("entities.linodes", "entities.linodes must be a list of Linode ids");
    } else {
        for (const auto& id : list->as_array()) {
            if (!id.is_int64())
                reader.fail("entities.linodes", "entities.linodes must be a list of Linode ids");
            else
                ids.push_back(id.as_int64());
        }
    }
    if (entities && entities->is_object())
        for (const auto& [key, value] : entities->as_object())
            if (key != "linodes")
                reader.fail("entities." + std::string(key), "Only Linodes are transferred");
    reader.finish();
    auth::require_unrestricted(ctx.caller());
    const auto t = transfers::create(ctx.tx(), actor_of(ctx), ids);
    return http::Response::json(transfers::render(t, ctx.tx().scope().account_id(), unix_now()));
}

}  // namespace

void register_transfers(http::Router& router) {
    using auth::Requirement;
    const auto ro = Requirement::of("account:read_only");
    const auto rw = Requirement::of("account:read_write");
    for (const std::string kind : {"entity", "service"}) {
        const std::string base = "/account/" + kind + "-transfers";
        // Transfers are the account's unrestricted users' business: their tokens give Linodes
        // away.
        router.add("GET", base, "get-" + kind + "-transfers", ro, [](http::Context& ctx) {
            auth::require_unrestricted(ctx.caller());
            return list(ctx, transfers::TransferRepository::listing(ctx.tx().scope().account_id(),
                                                                    unix_now()));
        });
        router.add("POST", base, "post-" + kind + "-transfer", rw, create);
        // The token is the receiver's key: whoever holds it may read the transfer.
        router.add("GET", base + "/{token}", "get-" + kind + "-transfer", ro,
                   [](http::Context& ctx) {
                       auto t = transfers::TransferRepository(ctx.tx()).find(ctx.param("token"));
                       if (!t) throw errors::not_found();
                       return http::Response::json(
                           transfers::render(*t, ctx.tx().scope().account_id(), unix_now()));
                   });
        router.add("DELETE", base + "/{token}", "delete-" + kind + "-transfer", rw,
                   [](http::Context& ctx) {
                       auth::require_unrestricted(ctx.caller());
                       transfers::cancel(ctx.tx(), actor_of(ctx), ctx.param("token"));
                       return http::Response::json("{}");
                   });
        router.add("POST", base + "/{token}/accept", "post-accept-" + kind + "-transfer", rw,
                   [](http::Context& ctx) {
                       auth::require_unrestricted(ctx.caller());
                       transfers::accept(ctx.tx(), actor_of(ctx), ctx.param("token"));
                       return http::Response::json("{}");
                   });
    }
}

}  // namespace linnet::api
