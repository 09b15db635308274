// /networking/ipv6: the pools Linodes' addresses come from, and IPv6 ranges routed to a
// Linode's SLAAC address (create, list, get, delete); a Linode's ranges show in its /ips.
#include <arpa/inet.h>

#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "linodes/address_repository.hpp"
#include "linodes/instances.hpp"
#include "linodes/ipv6_range_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;

// The range the path names ("2001:db8:8000:1::", with or without its "/64"), of a Linode the
// caller may read (or change).
linodes::Ipv6Range range_of(http::Context& ctx, Permission need) {
    std::string address = ctx.param("range");
    if (const auto slash = address.find('/'); slash != std::string::npos) address.resize(slash);
    in6_addr parsed{};
    if (inet_pton(AF_INET6, address.c_str(), &parsed) != 1) throw errors::not_found();
    char canonical[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &parsed, canonical, sizeof canonical);
    auto range = linodes::Ipv6RangeRepository(ctx.tx()).find(canonical);
    if (!range) throw errors::not_found();
    auth::require_linode(ctx.tx(), ctx.caller(), range->linode_id, need);
    return *range;
}

http::Response create(http::Context& ctx) {
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto prefix = reader.integer("prefix_length", true);
    if (prefix && *prefix != 56 && *prefix != 64)
        reader.fail("prefix_length", "prefix_length must be 56 or 64");
    const auto linode_id = reader.integer("linode_id");
    auto target = reader.string("route_target");
    if (linode_id && target)
        reader.fail("route_target", "Give linode_id or route_target, not both");
    else if (!linode_id && !target)
        reader.fail("linode_id", "linode_id or route_target is required");
    reader.finish();
    std::int64_t id = 0;
    if (linode_id) {
        id = *linode_id;
        if (!linodes::find(ctx.tx(), id))
            throw errors::bad_request("Linode " + std::to_string(id) + " not found", "linode_id");
    } else {
        // A route target is a Linode's SLAAC address (without "/128").
        if (const auto slash = target->find('/'); slash != std::string::npos) target->resize(slash);
        auto address = linodes::AddressRepository(ctx.tx()).find(*target);
        if (!address || address->kind != "slaac" || !address->linode_id)
            throw errors::bad_request(
                "route_target must be the SLAAC address of one of your "
                "Linodes",
                "route_target");
        id = *address->linode_id;
    }
    auth::require_linode(ctx.tx(), ctx.caller(), id, Permission::read_write);
    const auto linode = linodes::find(ctx.tx(), id).value();
    auto range = linodes::Ipv6RangeRepository(ctx.tx()).allocate(id, linode.region, *prefix);
    range = linodes::Ipv6RangeRepository(ctx.tx()).find(range.address).value();
    return http::Response::json(
        to_json(json::object{{"range", range.address + "/" + std::to_string(range.prefix)},
                             {"route_target", range.route_target}}));
}

}  // namespace

void register_ipv6_ranges(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/networking/ipv6/pools", "get-ipv6-pools", Requirement::of("ips:read_only"),
               [](http::Context& ctx) {
                   // Every region's Linodes take their SLAAC addresses from one /64.
                   return list(ctx, catalog::CatalogRepository(ctx.tx()).region_capabilities(
                                        [](const catalog::RegionCapabilities& region) {
                                            return to_json(json::object{{"range", "2001:db8::"},
                                                                        {"prefix", 64},
                                                                        {"region", region.id},
                                                                        {"route_target", nullptr}});
                                        }));
               });
    router.add("GET", "/networking/ipv6/ranges", "get-ipv6-ranges",
               Requirement::of("ips:read_only"), [](http::Context& ctx) {
                   return list(ctx, linodes::Ipv6RangeRepository::listing(
                                        auth::visible_linodes(ctx.caller(), "r.linode_id")));
               });
    router.add("POST", "/networking/ipv6/ranges", "post-ipv6-range",
               Requirement::of("ips:read_write,linodes:read_write"), create);
    // The spec asks "ips:read" of this read: ips:read_only is what it means.
    router.add("GET", "/networking/ipv6/ranges/{range}", "get-ipv6-range",
               Requirement::of("ips:read_only"), [](http::Context& ctx) {
                   const auto r = range_of(ctx, Permission::read_only);
                   return http::Response::json(
                       to_json(json::object{{"range", r.address},
                                            {"prefix", r.prefix},
                                            {"region", r.region},
                                            {"is_bgp", false},
                                            {"linodes", json::array{r.linode_id}}}));
               });
    router.add("DELETE", "/networking/ipv6/ranges/{range}", "delete-ipv6-range",
               Requirement::of("ips:read_write"), [](http::Context& ctx) {
                   const auto r = range_of(ctx, Permission::read_write);
                   linodes::Ipv6RangeRepository(ctx.tx()).remove(r.address);
                   return http::Response::json("{}");
               });
}

}  // namespace linnet::api
