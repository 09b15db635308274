// /datacenters, /services, /distributions (and /recommended) and /kernels in their 2016 form:
// public, read-only, filtered and paged like every list.
#include <boost/json.hpp>

#include "api/alpha/catalog_2016.hpp"
#include "api/alpha/envelope.hpp"
#include "api/alpha/routes.hpp"
#include "api/list.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/error.hpp"

namespace linnet::api::alpha {

namespace {

namespace json = boost::json;
using filter::FieldType;

const filter::Schema kDatacenters{{
                                      {"label", "label", FieldType::text},
                                      {"datacenter", "datacenter", FieldType::text},
                                  },
                                  "sort"};

const filter::Schema kServices{{
                                   {"label", "label", FieldType::text},
                                   {"service_type", "service_type", FieldType::text},
                                   {"ram", "ram", FieldType::integer},
                                   {"disk", "disk", FieldType::integer},
                                   {"vcpus", "vcpus", FieldType::integer},
                                   {"transfer", "transfer", FieldType::integer},
                                   {"monthly_price", "monthly_price", FieldType::integer},
                               },
                               "sort"};

const filter::Schema kDistributions{{
                                        {"label", "label", FieldType::text},
                                        {"vendor", "vendor", FieldType::text},
                                        {"recommended", "recommended", FieldType::boolean},
                                    },
                                    "sort"};

// A modern kernel with the 2016 flags beside its own fields.
json::value kernel_object(const json::object& modern) {
    json::object k = modern;
    const auto* arch = modern.if_contains("architecture");
    k["x64"] = arch && arch->is_string() && arch->as_string() == "x86_64";
    if (!k.contains("xen")) k["xen"] = false;
    return k;
}

template <class Entry>
http::Response one(const Entry* entry) {
    if (entry == nullptr) throw errors::not_found();
    return object_response(to_json(*entry));
}

}  // namespace

void register_catalog(http::Router& router) {
    // The 2016 catalog is compiled in and never changes while the server runs.
    auto add = [&router](const char* path, const char* operation, http::Handler handler) {
        router.add("GET", path, operation, auth::Requirement::open(), std::move(handler), true);
    };
    add("/datacenters", "alpha-get-datacenters", [](http::Context& ctx) {
        return rewrap(list(ctx, {datacenter_table(), kDatacenters}), "datacenters");
    });
    add("/datacenters/{datacenterId}", "alpha-get-datacenter",
        [](http::Context& ctx) { return one(find_datacenter(ctx.param("datacenterId"))); });
    add("/services", "alpha-get-services", [](http::Context& ctx) {
        return rewrap(list(ctx, {service_table(), kServices}), "services");
    });
    add("/services/{serviceId}", "alpha-get-service",
        [](http::Context& ctx) { return one(find_service(ctx.param("serviceId"))); });
    add("/distributions", "alpha-get-distributions", [](http::Context& ctx) {
        return rewrap(list(ctx, {distribution_table(), kDistributions}), "distributions");
    });
    add("/distributions/recommended", "alpha-get-recommended-distributions",
        [](http::Context& ctx) {
            return rewrap(list(ctx, {recommended_distribution_table(), kDistributions}),
                          "distributions");
        });
    add("/distributions/{distributionId}", "alpha-get-distribution",
        [](http::Context& ctx) { return one(find_distribution(ctx.param("distributionId"))); });
    add("/kernels", "alpha-get-kernels", [](http::Context& ctx) {
        return rewrap(list(ctx, catalog::CatalogRepository(ctx.tx()).kernels_2016()), "kernels",
                      kernel_object);
    });
}

}  // namespace linnet::api::alpha
