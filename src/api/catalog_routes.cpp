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
    using auth::Requirement;
    router.add("GET", "/regions", "get-regions", Requirement::open(),
               [](http::Context& ctx) { return list(ctx, {"regions", kRegions}); });
    router.add("GET", "/regions/availability", "get-regions-availability", Requirement::open(),
               [](http::Context& ctx) { return list(ctx, {"region_availability", kAvailability}); });
    router.add("GET", "/regions/{regionId}", "get-region", Requirement::open(),
               [](http::Context& ctx) {
                   return http::Response::json(
                       find_doc(ctx.tx, "regions", "id", ctx.param("regionId")));
               });
    router.add("GET", "/regions/{regionId}/availability", "get-region-availability",
               Requirement::open(), [](http::Context& ctx) {
                   const std::string& region = ctx.param("regionId");
                   find_doc(ctx.tx, "regions", "id", region);  // 404 for an unknown region
                   auto rows = ctx.tx.query(
                       "SELECT doc FROM region_availability WHERE region = ? ORDER BY sort",
                       {region});
                   std::string body = "[";
                   for (std::size_t i = 0; i < rows.size(); ++i) {
                       if (i) body += ',';
                       body += rows[i].text(0);
                   }
                   return http::Response::json(body + "]");
               });
    router.add("GET", "/linode/types", "get-linode-types", Requirement::open(),
               [](http::Context& ctx) { return list(ctx, {"linode_types", kTypes}); });
    router.add("GET", "/linode/types/{typeId}", "get-linode-type", Requirement::open(),
               [](http::Context& ctx) {
                   return http::Response::json(
                       find_doc(ctx.tx, "linode_types", "id", ctx.param("typeId")));
               });
    router.add("GET", "/linode/kernels", "get-kernels", Requirement::open(),
               [](http::Context& ctx) { return list(ctx, {"kernels", kKernels}); });
    router.add("GET", "/linode/kernels/{kernelId+}", "get-kernel", Requirement::open(),
               [](http::Context& ctx) {
                   return http::Response::json(
                       find_doc(ctx.tx, "kernels", "id", ctx.param("kernelId")));
               });
}

}  // namespace linnet::api
