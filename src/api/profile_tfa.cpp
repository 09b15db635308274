// /profile/tfa-enable, /tfa-enable-confirm, /tfa-disable: turning two-factor sign-in on (a TOTP
// secret confirmed by a code of the user's app, answered with a scratch code) and off; and
// /profile/devices: the browsers the user trusts to skip the code at sign-in.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/two_factor.hpp"
#include "auth/two_factor_repository.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace linnet::api {

namespace json = boost::json;

void register_profile_tfa(http::Router& router) {
    using auth::Requirement;
    const auto rw = Requirement::of("account:read_write");
    const auto ro = Requirement::of("account:read_only");
    router.add("POST", "/profile/tfa-enable", "post-tfa-enable", rw, [](http::Context& ctx) {
        const auto e = auth::two_factor::begin(ctx.tx(), ctx.caller().user_id);
        return http::Response::json(
            to_json(json::object{{"secret", e.secret}, {"expiry", e.expiry}}));
    });
    router.add(
        "POST", "/profile/tfa-enable-confirm", "post-tfa-confirm", rw, [](http::Context& ctx) {
            const auto body = parse_body(ctx.request.body);
            BodyReader reader(body);
            const auto code = reader.string("tfa_code", {true, 1, 16});
            reader.finish();
            const auto scratch = auth::two_factor::confirm(ctx.tx(), ctx.caller().user_id, *code);
            return http::Response::json(to_json(json::object{{"scratch", scratch}}));
        });
    router.add("POST", "/profile/tfa-disable", "post-tfa-disable", rw, [](http::Context& ctx) {
        auth::two_factor::disable(ctx.tx(), ctx.caller().user_id);
        return http::Response::json("{}");
    });
    router.add("GET", "/profile/devices", "get-devices", ro, [](http::Context& ctx) {
        return list(ctx,
                    auth::TwoFactorRepository::device_listing(ctx.caller().user_id, unix_now()));
    });
    router.add("GET", "/profile/devices/{deviceId}", "get-trusted-device", ro,
               [](http::Context& ctx) {
                   auto d = auth::TwoFactorRepository(ctx.tx()).device(ctx.caller().user_id,
                                                                       id_param(ctx, "deviceId"));
                   if (!d || d->expiry_unix <= unix_now()) throw errors::not_found();
                   return http::Response::json(auth::render(*d));
               });
    router.add("DELETE", "/profile/devices/{deviceId}", "delete-trusted-device", rw,
               [](http::Context& ctx) {
                   auth::TwoFactorRepository devices(ctx.tx());
                   const auto id = id_param(ctx, "deviceId");
                   if (!devices.device(ctx.caller().user_id, id)) throw errors::not_found();
                   devices.remove_device(ctx.caller().user_id, id);
                   return http::Response::json("{}");
               });
}

}  // namespace linnet::api
