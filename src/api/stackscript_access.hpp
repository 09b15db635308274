// Deploying a StackScript from a Linode create or rebuild body.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "core/json.hpp"
#include "http/router.hpp"
#include "stackscripts/stackscripts.hpp"

namespace linnet::api {

// Reads stackscript_id and stackscript_data: the script must be public or the caller's to read,
// deploy to `image`, and get a value for each field without a default. Field errors go to
// `reader`; nothing when the body names no script.
std::optional<stackscripts::Deployment> read_deployment(http::Context& ctx,
                                                        const boost::json::object& body,
                                                        const std::optional<std::string>& image,
                                                        BodyReader& reader);

}  // namespace linnet::api
