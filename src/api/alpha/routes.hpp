// The 2016 alpha API's routes, served beside the modern ones under /v4: each family registers
// its routes with operation ids prefixed "alpha-" (they are not operations of the modern spec).
#pragma once

#include "api/routes.hpp"
#include "http/router.hpp"

namespace linnet::api::alpha {

void register_catalog(http::Router& router);
void register_linodes(http::Router& router, const Environment& env);
void register_linode_actions(http::Router& router, const Environment& env);

// All of the above.
void register_routes(http::Router& router, const Environment& env);

}  // namespace linnet::api::alpha
