// What Cloud Manager reads beside a Linode: its NodeBalancers (none can exist on this Linnet
// yet: an empty list). Its firewalls are listed with the firewalls (api/firewalls.cpp).
#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/json.hpp"

namespace linnet::api {

void register_linode_attachments(http::Router& router) {
    const auto ro = auth::Requirement::of("linodes:read_only");
    const std::string base = "/linode/instances/{linodeId}";
    router.add("GET", base + "/nodebalancers", "get-linode-node-balancers", ro,
               [](http::Context& ctx) {
                   linode_of(ctx);
                   return empty_list(ctx);
               });
}

}  // namespace linnet::api
