// Regions, region availability, Linode types and kernels: public, read-only catalog routes.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/error.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace {

catalog::CatalogRepository catalog_of(http::Context& ctx) {
    return catalog::CatalogRepository(ctx.tx());
}

}  // namespace

void register_catalog(http::Router& router) {
    // The catalog is loaded at start and never changes while the server runs.
    auto add = [&router](const char* path, const char* operation, http::Handler handler) {
        router.add("GET", path, operation, auth::Requirement::open(), std::move(handler), true);
    };
    add("/regions", "get-regions",
        [](http::Context& ctx) { return list(ctx, catalog_of(ctx).regions()); });
    add("/regions/availability", "get-regions-availability",
        [](http::Context& ctx) { return list(ctx, catalog_of(ctx).availability()); });
    add("/regions/{regionId}", "get-region", [](http::Context& ctx) {
        return one(ctx, catalog_of(ctx).regions(), "id", ctx.param("regionId"));
    });
    add("/regions/{regionId}/availability", "get-region-availability", [](http::Context& ctx) {
        const std::string& region = ctx.param("regionId");
        auto catalog = catalog_of(ctx);
        if (!catalog.region_exists(region)) throw errors::not_found();
        std::string body = "[";
        for (const auto& doc : catalog.region_availability(region)) {
            if (body.size() > 1) body += ',';
            body += doc;
        }
        return http::Response::json(body + "]");
    });
    add("/linode/types", "get-linode-types",
        [](http::Context& ctx) { return list(ctx, catalog_of(ctx).types()); });
    add("/linode/types/{typeId}", "get-linode-type", [](http::Context& ctx) {
        return one(ctx, catalog_of(ctx).types(), "id", ctx.param("typeId"));
    });
    add("/linode/kernels", "get-kernels",
        [](http::Context& ctx) { return list(ctx, catalog_of(ctx).kernels()); });
    add("/linode/kernels/{kernelId+}", "get-kernel", [](http::Context& ctx) {
        return one(ctx, catalog_of(ctx).kernels(), "id", ctx.param("kernelId"));
    });
}

// Where VPCs may be made (newer than the spec this server follows; the shape is Linode's): each
// region, available when its capabilities name VPCs. Linnet's VPCs have no IPv6 ranges, so no
// prefix length is offered.
void register_vpc_availability(http::Router& router) {
    auto render = [](const catalog::RegionCapabilities& region) {
        return to_json(
            boost::json::object{{"region", region.id},
                                {"available", region.has("VPCs")},
                                {"available_ipv6_prefix_lengths", boost::json::array{}}});
    };
    router.add(
        "GET", "/regions/vpc-availability", "get-regions-vpc-availability",
        auth::Requirement::open(),
        [render](http::Context& ctx) {
            return list(ctx, catalog_of(ctx).region_capabilities(render));
        },
        true);
    router.add(
        "GET", "/regions/{regionId}/vpc-availability", "get-region-vpc-availability",
        auth::Requirement::open(),
        [render](http::Context& ctx) {
            auto region = catalog_of(ctx).find_region_capabilities(ctx.param("regionId"));
            if (!region) throw errors::not_found();
            return http::Response::json(render(*region));
        },
        true);
}

}  // namespace linnet::api
