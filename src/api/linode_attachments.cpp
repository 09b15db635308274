// What Cloud Manager reads beside a Linode: its firewalls and NodeBalancers (none can exist on
// this Linnet yet: empty lists) and its statistics (no samples are kept yet: every series is
// empty).
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

http::Response stats(http::Context& ctx) {
    const auto linode = linode_of(ctx);
    auto net = [] {
        return json::object{{"in", json::array{}},
                            {"out", json::array{}},
                            {"private_in", json::array{}},
                            {"private_out", json::array{}}};
    };
    return http::Response::json(to_json(json::object{
        {"cpu", json::array{}},
        {"io", json::object{{"io", json::array{}}, {"swap", json::array{}}}},
        {"netv4", net()},
        {"netv6", net()},
        {"title", linode.label + " (linode" + std::to_string(linode.id) + ") - day (5 min avg)"}}));
}

}  // namespace

void register_linode_attachments(http::Router& router) {
    const auto ro = auth::Requirement::of("linodes:read_only");
    const std::string base = "/linode/instances/{linodeId}";
    router.add("GET", base + "/firewalls", "get-linode-firewalls", ro, [](http::Context& ctx) {
        linode_of(ctx);
        return empty_list(ctx);
    });
    router.add("GET", base + "/stats", "get-linode-stats", ro, stats);
    router.add("GET", base + "/nodebalancers", "get-linode-node-balancers", ro,
               [](http::Context& ctx) {
                   linode_of(ctx);
                   return empty_list(ctx);
               });
}

}  // namespace linnet::api
