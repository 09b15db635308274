// /tags: the account's tags, the objects they are on, and /account/availability.
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/filter/filter_sql.hpp"
#include "core/json.hpp"
#include "core/pagination.hpp"
#include "domains/domain_repository.hpp"
#include "linodes/instances.hpp"
#include "nodebalancers/nodebalancer_repository.hpp"
#include "tags/tag_repository.hpp"
#include "volumes/volume_repository.hpp"

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
    std::vector<volumes::Volume> tagged_volumes;
    if (const auto* v = body.if_contains("volumes"); v && !v->is_null()) {
        volumes::VolumeRepository repo(ctx.tx());
        if (!v->is_array())
            reader.fail("volumes", "volumes must be a list of ids");
        else
            for (const auto& id : v->as_array()) {
                auto volume = id.is_int64() ? repo.find(id.as_int64()) : std::nullopt;
                if (!volume)
                    reader.fail("volumes", "volumes must be ids of your volumes");
                else
                    tagged_volumes.push_back(std::move(*volume));
            }
    }
    std::vector<nodebalancers::NodeBalancer> tagged_balancers;
    if (const auto* v = body.if_contains("nodebalancers"); v && !v->is_null()) {
        nodebalancers::NodeBalancerRepository repo(ctx.tx());
        if (!v->is_array())
            reader.fail("nodebalancers", "nodebalancers must be a list of ids");
        else
            for (const auto& id : v->as_array()) {
                auto nb = id.is_int64() ? repo.find(id.as_int64()) : std::nullopt;
                if (!nb)
                    reader.fail("nodebalancers", "nodebalancers must be ids of your NodeBalancers");
                else
                    tagged_balancers.push_back(std::move(*nb));
            }
    }
    std::vector<domains::Domain> tagged_domains;
    if (const auto* v = body.if_contains("domains"); v && !v->is_null()) {
        domains::DomainRepository repo(ctx.tx());
        if (!v->is_array())
            reader.fail("domains", "domains must be a list of ids");
        else
            for (const auto& id : v->as_array()) {
                auto d = id.is_int64() ? repo.find(id.as_int64()) : std::nullopt;
                if (!d)
                    reader.fail("domains", "domains must be ids of your Domains");
                else
                    tagged_domains.push_back(std::move(*d));
            }
    }
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
    for (auto& volume : tagged_volumes)
        if (std::find(volume.tags.begin(), volume.tags.end(), *label) == volume.tags.end()) {
            volume.tags.push_back(*label);
            volumes::VolumeRepository(ctx.tx()).save(volume);
        }
    for (auto& d : tagged_domains)
        if (std::find(d.tags.begin(), d.tags.end(), *label) == d.tags.end()) {
            d.tags.push_back(*label);
            domains::DomainRepository(ctx.tx()).save(d);
        }
    for (auto& nb : tagged_balancers)
        if (std::find(nb.tags.begin(), nb.tags.end(), *label) == nb.tags.end()) {
            nb.tags.push_back(*label);
            nodebalancers::NodeBalancerRepository(ctx.tx()).save(nb);
        }
    return http::Response::json(to_json(json::object{{"label", *label}}));
}

// Every document of a listing, page after page.
std::vector<std::string> every_document(store::Transaction& tx, const store::Listing& listing,
                                        const char* type) {
    std::vector<std::string> out;
    for (Page page{1, kMaxPageSize};; ++page.page) {
        auto found = store::read_page(tx, listing, filter::Query{}, page);
        for (auto& doc : found.docs)
            out.push_back("{\"type\":\"" + std::string(type) + "\",\"data\":" + doc + "}");
        if (page.page * page.page_size >= found.results) break;
    }
    return out;
}

// The objects that carry a tag: Linodes, volumes, NodeBalancers, then Domains, each in id order.
http::Response tagged_objects(http::Context& ctx) {
    const Page page = parse_page(ctx.query_param("page"), ctx.query_param("page_size"));
    if (auto header = ctx.request.header("x-filter"); header && !header->empty())
        throw errors::bad_filter("Tagged objects cannot be filtered");
    const std::string& tag = ctx.param("tagLabel");
    if (!tags::TagRepository(ctx.tx()).exists(tag)) throw errors::not_found();
    auto objects = every_document(ctx.tx(),
                                  linodes::LinodeRepository(ctx.tx()).tagged_listing(
                                      tag, auth::visible_linodes(ctx.caller())),
                                  "linode");
    for (auto& doc : every_document(
             ctx.tx(),
             volumes::VolumeRepository::tagged(tag, auth::visible_entities(ctx.caller(), "volume")),
             "volume"))
        objects.push_back(std::move(doc));
    for (auto& doc : every_document(ctx.tx(),
                                    nodebalancers::NodeBalancerRepository::tagged(
                                        tag, auth::visible_entities(ctx.caller(), "nodebalancer")),
                                    "nodebalancer"))
        objects.push_back(std::move(doc));
    for (auto& doc : every_document(
             ctx.tx(),
             domains::DomainRepository::tagged(tag, auth::visible_entities(ctx.caller(), "domain")),
             "domain"))
        objects.push_back(std::move(doc));
    const auto total = static_cast<std::int64_t>(objects.size());
    std::vector<std::string> shown;
    for (auto i = page.offset(); i < total && i < page.offset() + page.page_size; ++i)
        shown.push_back(std::move(objects[static_cast<std::size_t>(i)]));
    return http::Response::json(page_envelope(shown, page, total));
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
               Requirement::of("account:read_only"), unrestricted(tagged_objects));
    router.add("DELETE", "/tags/{tagLabel}", "delete-ag", Requirement::of("account:read_write"),
               unrestricted([](http::Context& ctx) {
                   const std::string& tag = ctx.param("tagLabel");
                   if (!tags::TagRepository(ctx.tx()).remove(tag)) throw errors::not_found();
                   for (auto id : linodes::LinodeRepository(ctx.tx()).ids_tagged(tag)) {
                       auto linode = linodes::get(ctx.tx(), id);
                       std::erase(linode.tags, tag);
                       linodes::save(ctx.tx(), linode);
                   }
                   volumes::VolumeRepository volumes(ctx.tx());
                   for (auto& volume : volumes.tagged_with(tag)) {
                       std::erase(volume.tags, tag);
                       volumes.save(volume);
                   }
                   domains::DomainRepository zones(ctx.tx());
                   for (auto& d : zones.tagged_with(tag)) {
                       std::erase(d.tags, tag);
                       zones.save(d);
                   }
                   nodebalancers::NodeBalancerRepository balancers(ctx.tx());
                   for (auto& nb : balancers.tagged_with(tag)) {
                       std::erase(nb.tags, tag);
                       balancers.save(nb);
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
