// The 2016 response shapes: a list is {"<plural>": [...], "page", "total_pages",
// "total_results"}; the modern list's page is rewrapped, each item translated on the way.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <string_view>

#include "http/request.hpp"

namespace linnet::api::alpha {

using Translate = std::function<boost::json::value(const boost::json::object& modern)>;

// The modern list answer {data, page, pages, results} as a 2016 list named `plural`; items go
// through `translate` when it is given.
http::Response rewrap(const http::Response& modern, std::string_view plural,
                      const Translate& translate = nullptr);

// An object as a JSON response.
http::Response object_response(const boost::json::value& value);

}  // namespace linnet::api::alpha
