// What Cloud Manager reads beside a Linode: its firewalls and NodeBalancers (none can exist on
// this Linnet yet: empty lists).
#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/json.hpp"

namespace linnet::api {

void register_linode_attachments(http::Router& router) {
    const auto ro = auth::Requirement::of("linodes:read_only");
    const std::string base = "/linode/instances/{linodeId}";
    router.add("GET", base + "/firewalls", "get-linode-firewalls", ro, [](http::Context& ctx) {
        linode_of(ctx);
        return empty_list(ctx);
    });
    router.add("GET", base + "/nodebalancers", "get-linode-node-balancers", ro,
               [](http::Context& ctx) {
                   linode_of(ctx);
                   return empty_list(ctx);
               });
}

}  // namespace linnet::api
