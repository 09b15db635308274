// The caller's own profile: GET /profile and PUT /profile.
#include <boost/json.hpp>
#include <cctype>
#include <filesystem>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/user_repository.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

json::object profile_of(store::Transaction& tx, std::int64_t user_id) {
    auto user = auth::UserRepository(tx).find(user_id);
    if (!user) throw errors::not_found();
    json::object p = json::parse(user->profile).as_object();
    json::object out{{"uid", user->id},
                     {"username", user->username},
                     {"email", user->email},
                     {"restricted", user->restricted},
                     {"user_type", user->user_type}};
    for (const auto& [key, value] : p) out[key] = value;
    out["two_factor_auth"] = user->tfa_enabled;
    out["verified_phone_number"] = user->verified_phone_number
                                       ? json::value(*user->verified_phone_number)
                                       : json::value(nullptr);
    const std::string code = "linnet-" + std::to_string(user->id);
    out["referrals"] = json::object{{"code", code}, {"url", "https://www.linode.com/?r=" + code},
                                    {"total", 0},   {"completed", 0},
                                    {"pending", 0}, {"credit", 0}};
    return out;
}

// A time zone name from the system's tz database ("UTC", "Europe/Paris").
bool known_timezone(const std::string& name) {
    if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
              c == '+'))
            return false;
    return name == "UTC" || std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name);
}

http::Response update_profile(http::Context& ctx) {
    const auto& me = ctx.caller();
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto email = reader.string("email", {false, 6, 128});
    if (email && !valid_email(*email)) reader.fail("email", "email must be a valid email address");
    auto timezone = reader.string("timezone", {false, 1, 64});
    if (timezone && !known_timezone(*timezone))
        reader.fail("timezone", "timezone must be a time zone name such as America/New_York");
    auto notifications = reader.boolean("email_notifications");
    auto lish = reader.string("lish_auth_method");
    if (lish && *lish != "password_keys" && *lish != "keys_only" && *lish != "disabled")
        reader.fail("lish_auth_method",
                    "lish_auth_method must be one of password_keys, keys_only, disabled");
    std::optional<json::value> keys;
    if (const auto* v = body.if_contains("authorized_keys")) {
        bool ok = v->is_null() || v->is_array();
        if (v->is_array())
            for (const auto& k : v->as_array()) ok = ok && k.is_string();
        if (!ok)
            reader.fail("authorized_keys", "authorized_keys must be a list of strings");
        else
            keys = *v;
    }
    // Shown by GET and sent back by clients that save whole objects: the same value is
    // accepted, a change is not made here (restriction by the account, two-factor sign-in by its
    // own routes).
    const json::object current = profile_of(ctx.tx(), me.user_id);
    for (const char* fixed : {"restricted", "two_factor_auth", "ip_whitelist_enabled"}) {
        const auto* now = current.if_contains(fixed);
        const bool value = now && now->is_bool() && now->as_bool();
        if (auto sent = reader.boolean(fixed); sent && *sent != value)
            reader.fail(fixed, std::string(fixed) + " cannot be changed with this request");
    }
    reader.finish();

    auth::UserRepository users(ctx.tx());
    json::object p = json::parse(users.find(me.user_id).value().profile).as_object();
    if (timezone) p["timezone"] = *timezone;
    if (notifications) p["email_notifications"] = *notifications;
    if (lish) p["lish_auth_method"] = *lish;
    if (keys) p["authorized_keys"] = *keys;
    users.set_profile(me.user_id, to_json(p));
    if (email) users.set_email(me.user_id, *email);
    return http::Response::json(to_json(profile_of(ctx.tx(), me.user_id)));
}

}  // namespace

void register_profile(http::Router& router) {
    router.add("GET", "/profile", "get-profile", auth::Requirement::token(),
               [](http::Context& ctx) {
                   return http::Response::json(to_json(profile_of(ctx.tx(), ctx.caller().user_id)));
               });
    router.add("PUT", "/profile", "put-profile", auth::Requirement::of("account:read_write"),
               update_profile);
    // Preferences: whatever JSON object the client keeps, replaced whole by each PUT.
    router.add("GET", "/profile/preferences", "get-user-preferences",
               auth::Requirement::of("account:read_only"), [](http::Context& ctx) {
                   return http::Response::json(
                       auth::UserRepository(ctx.tx()).preferences(ctx.caller().user_id));
               });
    router.add("PUT", "/profile/preferences", "put-user-preferences",
               auth::Requirement::of("account:read_write"), [](http::Context& ctx) {
                   const std::string doc = to_json(parse_body(ctx.request.body));
                   auth::UserRepository(ctx.tx()).set_preferences(ctx.caller().user_id, doc);
                   return http::Response::json(doc);
               });
}

}  // namespace linnet::api
