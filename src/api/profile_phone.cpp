// /profile/phone-number: a number added by the code sent to it (POST, then POST .../verify with
// the code), shown as the profile's and the user's `verified_phone_number`, and deleted.
#include "api/routes.hpp"
#include "auth/phone_verification.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "http/dispatcher.hpp"

namespace linnet::api {

void register_profile_phone(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const auto rw = Requirement::of("account:read_write");
    router.add("POST", "/profile/phone-number", "post-profile-phone-number", rw,
               [sms = env.sms](http::Context& ctx) {
                   const auto body = parse_body(ctx.request.body);
                   BodyReader reader(body);
                   const auto iso = reader.string("iso_code", {true, 2, 2});
                   const auto number = reader.string("phone_number", {true, 1, 32});
                   reader.finish();
                   ctx.after_commit.push_back(
                       auth::phone::send_code(ctx.tx(), ctx.caller().user_id, *iso, *number, sms));
                   return http::Response::json("{}");
               });
    router.add("POST", "/profile/phone-number/verify", "post-profile-phone-number-verify", rw,
               [](http::Context& ctx) {
                   const auto body = parse_body(ctx.request.body);
                   BodyReader reader(body);
                   const auto code = reader.string("otp_code", {true, 1, 16});
                   reader.finish();
                   if (!auth::phone::verify(ctx.tx(), ctx.caller().user_id, *code))
                       // Answered, not thrown: the wrong try stays counted.
                       return http::error_response(
                           errors::bad_request("Invalid verification code", "otp_code"));
                   return http::Response::json("{}");
               });
    router.add("DELETE", "/profile/phone-number", "delete-profile-phone-number", rw,
               [](http::Context& ctx) {
                   auth::phone::remove(ctx.tx(), ctx.caller().user_id);
                   return http::Response::json("{}");
               });
}

}  // namespace linnet::api
