// /longview: the account's Longview clients and plan, and the subscriptions and types on offer.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "longview/longview.hpp"
#include "store/inline_table.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;

longview::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

longview::Client client_of(http::Context& ctx, Permission need) {
    const std::int64_t id = id_param(ctx, "clientId");
    auto c = longview::LongviewRepository(ctx.tx()).find(id);
    auth::require_entity(ctx.tx(), ctx.caller(), "longview", id, need, c.has_value());
    if (!c) throw errors::not_found();
    return *c;
}

const filter::Schema kCatalog{{}, "sort"};

// The subscriptions (as /longview/subscriptions shows them) or the types (as /longview/types
// does, with the fields every type of the catalog has).
store::Listing catalog(const std::string& table, bool as_types) {
    std::vector<std::vector<store::SqlValue>> rows;
    std::int64_t sort = 0;
    for (const auto& s : longview::subscriptions()) {
        json::object doc = longview::render(s);
        if (as_types) {
            doc.erase("clients_included");
            doc["region_prices"] = json::array{};
            doc["transfer"] = 0;
        }
        rows.push_back({sort++, to_json(doc), s.id});
    }
    return store::Listing{store::inline_table(table, {"sort", "doc", "id"}, rows), kCatalog};
}

http::Response plan_doc(store::Transaction& tx) {
    const auto plan = longview::LongviewRepository(tx).plan();
    const auto* s = plan ? longview::find_subscription(*plan) : nullptr;
    return http::Response::json(s ? to_json(longview::render(*s)) : "{}");
}

}  // namespace

void register_longview(http::Router& router) {
    using auth::Requirement;
    const auto ro = Requirement::of("longview:read_only");
    const auto rw = Requirement::of("longview:read_write");
    const std::string one = "/longview/clients/{clientId}";
    router.add("GET", "/longview/clients", "get-longview-clients", ro, [](http::Context& ctx) {
        return list(ctx, longview::LongviewRepository::listing(
                             auth::visible_entities(ctx.caller(), "longview")));
    });
    router.add("POST", "/longview/clients", "post-longview-client", rw, [](http::Context& ctx) {
        auth::require_global(ctx.tx(), ctx.caller(), "add_longview");
        const json::object body = parse_body(ctx.request.body);
        BodyReader reader(body);
        const auto label = reader.string("label");
        reader.finish();
        const auto c = longview::create(ctx.tx(), actor_of(ctx), label);
        auth::grant_creator(ctx.tx(), ctx.caller(), "longview", c.id);
        return http::Response::json(longview::render(c));
    });
    router.add("GET", one, "get-longview-client", ro, [](http::Context& ctx) {
        return http::Response::json(longview::render(client_of(ctx, Permission::read_only)));
    });
    router.add("PUT", one, "put-longview-client", rw, [](http::Context& ctx) {
        auto c = client_of(ctx, Permission::read_write);
        const json::object body = parse_body(ctx.request.body);
        BodyReader reader(body);
        const auto label = reader.string("label", {true});
        reader.finish();
        longview::update(ctx.tx(), actor_of(ctx), c, *label);
        return http::Response::json(longview::render(c));
    });
    router.add("DELETE", one, "delete-longview-client", rw, [](http::Context& ctx) {
        const auto c = client_of(ctx, Permission::read_write);
        longview::remove(ctx.tx(), actor_of(ctx), c);
        return http::Response::json("{}");
    });
    router.add("GET", "/longview/plan", "get-longview-plan", ro,
               [](http::Context& ctx) { return plan_doc(ctx.tx()); });
    router.add("PUT", "/longview/plan", "put-longview-plan", rw, [](http::Context& ctx) {
        auth::require_global(ctx.tx(), ctx.caller(), "longview_subscription");
        const json::object body = parse_body(ctx.request.body);
        BodyReader reader(body);
        std::optional<std::string> subscription;
        if (const auto* v = body.if_contains("longview_subscription");
            v && !v->is_null() && !(v->is_string() && v->as_string().empty()))
            subscription = reader.string("longview_subscription");
        reader.finish();
        longview::set_plan(ctx.tx(), subscription);
        return plan_doc(ctx.tx());
    });
    const auto open = Requirement::open();
    router.add(
        "GET", "/longview/subscriptions", "get-longview-subscriptions", open,
        [](http::Context& ctx) { return list(ctx, catalog("longview_subscriptions", false)); },
        true);
    router.add(
        "GET", "/longview/subscriptions/{subscriptionId}", "get-longview-subscription", open,
        [](http::Context& ctx) {
            const auto* s = longview::find_subscription(ctx.param("subscriptionId"));
            if (!s) throw errors::not_found();
            return http::Response::json(to_json(longview::render(*s)));
        },
        true);
    router.add(
        "GET", "/longview/types", "get-longview-types", open,
        [](http::Context& ctx) { return list(ctx, catalog("longview_types", true)); }, true);
}

}  // namespace linnet::api
