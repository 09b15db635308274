// /profile/apps: the apps the caller authorized through the login service. Revoking one ends
// its access at once: its tokens and refresh tokens go with it.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/oauth_repository.hpp"
#include "auth/oauth_tokens.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

using auth::AuthorizedApp;
using auth::OAuthRepository;

// The site an app's users come back to: its redirect_uri's origin.
std::string website(const std::string& redirect_uri) {
    const auto scheme_end = redirect_uri.find("://");
    if (scheme_end == std::string::npos) return redirect_uri;
    return redirect_uri.substr(0, redirect_uri.find_first_of("/?", scheme_end + 3));
}

std::string render(const AuthorizedApp& app) {
    return to_json(json::object{{"id", app.id},
                                {"label", app.label},
                                {"scopes", app.scopes},
                                {"created", app.created},
                                {"expiry", nullptr},
                                {"thumbnail_url", nullptr},
                                {"website", website(app.redirect_uri)}});
}

store::Listing mine(const http::Context& ctx) {
    return OAuthRepository::apps_of(ctx.caller().user_id, render);
}

http::Response find_app(http::Context& ctx) {
    return one(ctx, mine(ctx), OAuthRepository::app_key(), id_param(ctx, "appId"));
}

}  // namespace

void register_profile_apps(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/profile/apps", "get-profile-apps", Requirement::of("account:read_only"),
               [](http::Context& ctx) { return list(ctx, mine(ctx)); });
    router.add("GET", "/profile/apps/{appId}", "get-profile-app",
               Requirement::of("account:read_only"),
               [](http::Context& ctx) { return find_app(ctx); });
    router.add("DELETE", "/profile/apps/{appId}", "delete-profile-app",
               Requirement::of("account:read_write"), [](http::Context& ctx) {
                   find_app(ctx);
                   auth::revoke_app(ctx.tx(), id_param(ctx, "appId"));
                   return http::Response::json("{}");
               });
}

}  // namespace linnet::api
