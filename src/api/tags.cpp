// /tags: the account's tags, the objects they are on, and /account/availability.
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/filter/filter_sql.hpp"
#include "core/json.hpp"
#include "linodes/instances.hpp"
#include "tags/tag_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

http::Response create(http::Context& ctx) {
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {true, 3, 50});
    std::vector<std::int64_t> linodes;
    if (const auto* v = body.if_contains("linodes"); v && !v->is_null()) {
        if (!v->is_array())
            reader.fail("linodes", "linodes must be a list of ids");
        else
            for (const auto& id : v->as_array()) {
                if (!id.is_int64() || !linodes::find(ctx.tx(), id.as_int64()))
                    reader.fail("linodes", "linodes must be ids of your Linodes");
                else
                    linodes.push_back(id.as_int64());
            }
    }
    for (const char* other : {"domains", "nodebalancers", "volumes"})
        if (const auto* v = body.if_contains(other); v && v->is_array() && !v->as_array().empty())
            reader.fail(other, std::string(other) + " are not supported by this Linnet server");
    reader.finish();
    tags::TagRepository(ctx.tx()).add(*label);
    for (auto id : linodes) {
        auto linode = linodes::get(ctx.tx(), id);
        auth::require_linode(ctx.tx(), ctx.caller(), id, auth::Permission::read_write);
        if (std::find(linode.tags.begin(), linode.tags.end(), *label) == linode.tags.end()) {
            linode.tags.push_back(*label);
            linodes::save(ctx.tx(), linode);
        }
    }
    return http::Response::json(to_json(json::object{{"label", *label}}));
}

}  // namespace

namespace {

// Tags are for unrestricted users only, as the spec says: a restricted user gets 403 on every
// /tags route, even for tags on Linodes it was granted.
http::Handler unrestricted(http::Handler handler) {
    return [handler = std::move(handler)](http::Context& ctx) {
        auth::require_unrestricted(ctx.caller());
        return handler(ctx);
    };
}

}  // namespace

void register_tags(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/tags", "get-tags", Requirement::of("account:read_only"),
               unrestricted([](http::Context& ctx) {
                   return list(ctx, tags::TagRepository(ctx.tx()).listing());
               }));
    router.add("POST", "/tags", "post-tag", Requirement::of("account:read_write"),
               unrestricted(create));
    router.add("GET", "/tags/{tagLabel}", "get-tagged-objects",
               Requirement::of("account:read_only"), unrestricted([](http::Context& ctx) {
                   const std::string& tag = ctx.param("tagLabel");
                   if (!tags::TagRepository(ctx.tx()).exists(tag)) throw errors::not_found();
                   auto listing = linodes::LinodeRepository(ctx.tx()).tagged_listing(
                       tag, auth::visible_linodes(ctx.caller()));
                   listing.render = [](const store::Row& row) {
                       return "{\"type\":\"linode\",\"data\":" + row.text("doc") + "}";
                   };
                   return list(ctx, listing);
               }));
    router.add("DELETE", "/tags/{tagLabel}", "delete-ag", Requirement::of("account:read_write"),
               unrestricted([](http::Context& ctx) {
                   const std::string& tag = ctx.param("tagLabel");
                   if (!tags::TagRepository(ctx.tx()).remove(tag)) throw errors::not_found();
                   for (auto id : linodes::LinodeRepository(ctx.tx()).ids_tagged(tag)) {
                       auto linode = linodes::get(ctx.tx(), id);
                       std::erase(linode.tags, tag);
                       linodes::save(ctx.tx(), linode);
                   }
                   return http::Response::json("{}");
               }));
    // What this account may create in each region: everything its capabilities offer.
    auto availability = [](const catalog::RegionCapabilities& region) {
        json::array available;
        for (const char* service : {"Linodes", "NodeBalancers", "Block Storage", "Kubernetes"})
            if (region.has(service)) available.push_back(json::string(service));
        return to_json(json::object{
            {"region", region.id}, {"available", available}, {"unavailable", json::array{}}});
    };
    router.add("GET", "/account/availability", "get-availability",
               Requirement::of("account:read_only"), [availability](http::Context& ctx) {
                   return list(
                       ctx, catalog::CatalogRepository(ctx.tx()).region_capabilities(availability));
               });
    router.add("GET", "/account/availability/{id}", "get-account-availability",
               Requirement::of("account:read_only"), [availability](http::Context& ctx) {
                   auto region = catalog::CatalogRepository(ctx.tx()).find_region_capabilities(
                       ctx.param("id"));
                   if (!region) throw errors::not_found();
                   return http::Response::json(availability(*region));
               });
}

}  // namespace linnet::api
