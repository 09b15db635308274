// /profile/apps: the apps the caller authorized through the login service. Revoking one ends
// its access at once: its tokens and refresh tokens go with it.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/oauth_tokens.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using filter::FieldType;

const filter::Schema kApps{{
                               {"label", "c.label", FieldType::text},
                               {"created", "a.created", FieldType::time},
                           },
                           "a.id"};

const char* kTable = "authorized_apps a JOIN oauth_clients c ON c.id = a.client_id";
const char* kColumns = "a.id, c.label, a.scopes, a.created, c.redirect_uri";

// The site an app's users come back to: its redirect_uri's origin.
std::string website(const std::string& redirect_uri) {
    const auto scheme_end = redirect_uri.find("://");
    if (scheme_end == std::string::npos) return redirect_uri;
    return redirect_uri.substr(0, redirect_uri.find_first_of("/?", scheme_end + 3));
}

std::string render(const store::Row& row) {
    return to_json(json::object{{"id", row.integer(0)},
                                {"label", row.text(1)},
                                {"scopes", row.text(2)},
                                {"created", row.text(3)},
                                {"expiry", nullptr},
                                {"thumbnail_url", nullptr},
                                {"website", website(row.text(4))}});
}

std::string find_app(http::Context& ctx) {
    auto rows = ctx.tx().query(
        std::string("SELECT ") + kColumns + " FROM " + kTable + " WHERE a.id = ? AND a.user_id = ?",
        {id_param(ctx, "appId"), ctx.caller().user_id});
    if (rows.empty()) throw errors::not_found();
    return render(rows.front());
}

}  // namespace

void register_profile_apps(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/profile/apps", "get-profile-apps", Requirement::of("account:read_only"),
               [](http::Context& ctx) {
                   return list(ctx,
                               rendered({kTable, kApps, "a.user_id = ?", {ctx.caller().user_id}},
                                        kColumns, render));
               });
    router.add("GET", "/profile/apps/{appId}", "get-profile-app",
               Requirement::of("account:read_only"),
               [](http::Context& ctx) { return http::Response::json(find_app(ctx)); });
    router.add("DELETE", "/profile/apps/{appId}", "delete-profile-app",
               Requirement::of("account:read_write"), [](http::Context& ctx) {
                   find_app(ctx);
                   auth::revoke_app(ctx.tx(), id_param(ctx, "appId"));
                   return http::Response::json("{}");
               });
}

}  // namespace linnet::api
