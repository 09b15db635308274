// Assembles the 2016 alpha routes; qualified calls, since the modern families share their names
// and their Environment argument brings them into view.
#include "api/alpha/routes.hpp"

namespace linnet::api::alpha {

void register_routes(http::Router& router, const Environment& env) {
    alpha::register_catalog(router);
    alpha::register_linodes(router, env);
    alpha::register_linode_actions(router, env);
}

}  // namespace linnet::api::alpha
