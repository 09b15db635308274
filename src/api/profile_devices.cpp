// /profile/devices: the browsers a user trusts to skip the second sign-in factor. Two-factor
// sign-in does not exist on this Linnet yet, so no device is ever trusted: the list is empty and
// every device id names nothing.
#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/error.hpp"

namespace linnet::api {

void register_profile_devices(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/profile/devices", "get-devices", Requirement::of("account:read_only"),
               empty_list);
    router.add("GET", "/profile/devices/{deviceId}", "get-trusted-device",
               Requirement::of("account:read_only"), [](http::Context& ctx) -> http::Response {
                   id_param(ctx, "deviceId");
                   throw errors::not_found();
               });
    router.add("DELETE", "/profile/devices/{deviceId}", "delete-trusted-device",
               Requirement::of("account:read_write"), [](http::Context& ctx) -> http::Response {
                   id_param(ctx, "deviceId");
                   throw errors::not_found();
               });
}

}  // namespace linnet::api
