// Cookies of the login service: reading one from a request's Cookie header (RFC 6265) and
// writing Set-Cookie values that are HttpOnly and SameSite=Lax.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace linnet::http {

// The value of the named cookie, if the request carries it.
std::optional<std::string> cookie(const Request& request, std::string_view name);

// "name=value; Path=/; Max-Age=N; HttpOnly; SameSite=Lax"; max_age 0 deletes the cookie.
std::string set_cookie(std::string_view name, std::string_view value, long max_age);

}  // namespace linnet::http
