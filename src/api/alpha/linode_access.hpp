// Finding the Linode a 2016 path names ("linode_12", or plainly "12"), under the same grants as
// the modern routes.
#pragma once

#include "http/request.hpp"
#include "linodes/instances.hpp"

namespace linnet::api::alpha {

// The Linode of the path parameter linodeId, or 404; 403 when the caller's grant on it does not
// allow the request (GET reads, other methods act).
linodes::Instance linode_named(http::Context& ctx);

}  // namespace linnet::api::alpha
