// Regions, region availability, Linode types and kernels: public, read-only catalog routes.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"

namespace linnet::api {

namespace {

using filter::FieldType;

const filter::Schema kRegions{{
                                  {"country", "country", FieldType::text},
                                  {"site_type", "site_type", FieldType::text},
                              },
                              "sort"};

const filter::Schema kAvailability{{
                                       {"region", "region", FieldType::text},
                                       {"plan", "plan", FieldType::text},
                                       {"available", "available", FieldType::boolean},
                                   },
                                   "sort"};

const filter::Schema kTypes{{
                                {"label", "label", FieldType::text},
                                {"class", "class", FieldType::text},
                                {"disk", "disk", FieldType::integer},
                                {"memory", "memory", FieldType::integer},
                                {"vcpus", "vcpus", FieldType::integer},
                                {"gpus", "gpus", FieldType::integer},
                                {"network_out", "network_out", FieldType::integer},
                                {"transfer", "transfer", FieldType::integer},
                            },
                            "sort"};

const filter::Schema kKernels{{
                                  {"label", "label", FieldType::text},
                                  {"version", "version", FieldType::text},
                                  {"architecture", "architecture", FieldType::text},
                                  {"kvm", "kvm", FieldType::boolean},
                                  {"pvops", "pvops", FieldType::boolean},
                                  {"deprecated", "deprecated", FieldType::boolean},
                              },
                              "sort"};

}  // namespace

void register_catalog(http::Router& router) {
    // The catalog is loaded at start and never changes while the server runs.
    auto add = [&router](const char* path, const char* operation, http::Handler handler) {
        router.add("GET", path, operation, auth::Requirement::open(), std::move(handler), true);
    };
    add("/regions", "get-regions", [](http::Context& ctx) {
        return list(ctx, {"regions", kRegions});
    });
    add("/regions/availability", "get-regions-availability", [](http::Context& ctx) {
        return list(ctx, {"region_availability", kAvailability});
    });
    add("/regions/{regionId}", "get-region", [](http::Context& ctx) {
        return http::Response::json(find_doc(ctx.tx(), "regions", "id", ctx.param("regionId")));
    });
    add("/regions/{regionId}/availability", "get-region-availability", [](http::Context& ctx) {
        const std::string& region = ctx.param("regionId");
        find_doc(ctx.tx(), "regions", "id", region);  // 404 for an unknown region
        auto rows = ctx.tx().query(
            "SELECT doc FROM region_availability WHERE region = ? ORDER BY sort", {region});
        std::string body = "[";
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (i) body += ',';
            body += rows[i].text(0);
        }
        return http::Response::json(body + "]");
    });
    add("/linode/types", "get-linode-types", [](http::Context& ctx) {
        return list(ctx, {"linode_types", kTypes});
    });
    add("/linode/types/{typeId}", "get-linode-type", [](http::Context& ctx) {
        return http::Response::json(find_doc(ctx.tx(), "linode_types", "id", ctx.param("typeId")));
    });
    add("/linode/kernels", "get-kernels", [](http::Context& ctx) {
        return list(ctx, {"kernels", kKernels});
    });
    add("/linode/kernels/{kernelId+}", "get-kernel", [](http::Context& ctx) {
        return http::Response::json(find_doc(ctx.tx(), "kernels", "id", ctx.param("kernelId")));
    });
}

}  // namespace linnet::api
