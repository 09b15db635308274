// The caller's own profile: GET /profile and PUT /profile.
#include <boost/json.hpp>
#include <cctype>
#include <filesystem>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

json::object profile_of(store::Transaction& tx, std::int64_t user_id) {
    auto rows = tx.query("SELECT id, username, email, restricted, profile FROM users WHERE id = ?",
                         {user_id});
    if (rows.empty()) throw errors::not_found();
    const auto& row = rows.front();
    json::object p = json::parse(row.text(4)).as_object();
    json::object out{{"uid", row.integer(0)},
                     {"username", row.text(1)},
                     {"email", row.text(2)},
                     {"restricted", row.boolean(3)}};
    for (const auto& [key, value] : p) out[key] = value;
    const std::string code = "linnet-" + std::to_string(row.integer(0));
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
    reader.finish();

    auto rows = ctx.tx().query("SELECT profile FROM users WHERE id = ?", {me.user_id});
    json::object p = json::parse(rows.at(0).text(0)).as_object();
    if (timezone) p["timezone"] = *timezone;
    if (notifications) p["email_notifications"] = *notifications;
    if (lish) p["lish_auth_method"] = *lish;
    if (keys) p["authorized_keys"] = *keys;
    ctx.tx().execute("UPDATE users SET profile = ? WHERE id = ?", {to_json(p), me.user_id});
    if (email) ctx.tx().execute("UPDATE users SET email = ? WHERE id = ?", {*email, me.user_id});
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
}

}  // namespace linnet::api
