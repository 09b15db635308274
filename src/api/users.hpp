// What the users and grants routes share: finding the user a path names.
#pragma once

#include <cstdint>

#include "http/request.hpp"

namespace linnet::api {

// The id of the user of the path parameter username, or 404.
std::int64_t user_id_of(http::Context& ctx);

}  // namespace linnet::api
