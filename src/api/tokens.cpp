// Personal access tokens of the caller: /profile/tokens. A new token's scopes can be no wider
// than the scopes of the token that creates it; the secret is shown only in the create response.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/token.hpp"
#include "auth/token_repository.hpp"
#include "auth/user_repository.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

using auth::TokenRepository;

// The caller's personal access token named by the path, or 404.
std::string find_mine(http::Context& ctx, std::int64_t id) {
    auto doc = TokenRepository(ctx.tx()).personal_doc(ctx.caller().user_id, id);
    if (!doc) throw errors::not_found();
    return *doc;
}

http::Response create(http::Context& ctx) {
    const auto& me = ctx.caller();
    // A parent's users act in a child account through tokens of its proxy user that the
    // parent makes (POST /account/child-accounts/{euuid}/token), never their own.
    if (auto user = auth::UserRepository(ctx.tx()).find(me.user_id);
        user && user->user_type == "proxy")
        throw errors::forbidden("A proxy user cannot create personal access tokens");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {false, 1, 100});
    auto scopes_text = reader.string("scopes");
    auto expiry_text = reader.string("expiry");
    auth::ScopeSet scopes = me.scopes;
    if (scopes_text && *scopes_text != "*") {
        auto parsed = auth::ScopeSet::parse(*scopes_text);
        if (!parsed)
            reader.fail("scopes", "scopes must be * or a list of area:read_only|read_write");
        else if (!me.scopes.covers(*parsed))
            reader.fail("scopes", "The requested scopes exceed the scopes of this token");
        else
            scopes = *parsed;
    }
    std::optional<std::int64_t> expiry;
    if (expiry_text) {
        expiry = parse_time(*expiry_text);
        if (!expiry)
            reader.fail("expiry", "expiry must be a date-time (YYYY-MM-DDTHH:MM:SS)");
        else if (*expiry <= unix_now())
            reader.fail("expiry", "expiry must be in the future");
    }
    // A token that expires makes tokens that expire no later, unless it holds every scope (as
    // linode-cli's two-hour OAuth token does when it makes the lasting token it keeps): such a
    // token survives the app that made it being revoked, as on Linode.
    if (me.expiry_unix && !me.scopes.is_everything()) {
        if (!expiry)
            expiry = me.expiry_unix;
        else if (*expiry > *me.expiry_unix)
            reader.fail("expiry", "A token cannot outlive the token that creates it");
    }
    reader.finish();
    auto token = auth::create_token(
        ctx.tx(), {me.user_id, label.value_or(""), scopes, expiry, "personal_access_token"});
    return http::Response::json(token.doc);
}

http::Response update(http::Context& ctx) {
    const std::int64_t id = id_param(ctx, "tokenId");
    json::object doc = json::parse(find_mine(ctx, id)).as_object();
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {false, 1, 100});
    reader.finish();
    if (label) {
        doc["label"] = *label;
        TokenRepository(ctx.tx()).rename(id, *label, to_json(doc));
    }
    return http::Response::json(to_json(doc));
}

http::Response remove(http::Context& ctx) {
    const std::int64_t id = id_param(ctx, "tokenId");
    find_mine(ctx, id);
    TokenRepository(ctx.tx()).remove(id);
    return http::Response::json("{}");
}

}  // namespace

void register_tokens(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/profile/tokens", "get-personal-access-tokens",
               Requirement::of("account:read_only"), [](http::Context& ctx) {
                   return list(ctx, TokenRepository::personal_tokens(ctx.caller().user_id));
               });
    router.add("POST", "/profile/tokens", "post-personal-access-token",
               Requirement::of("account:read_write"), create);
    router.add("GET", "/profile/tokens/{tokenId}", "get-personal-access-token",
               Requirement::of("account:read_only"), [](http::Context& ctx) {
                   return one(ctx, TokenRepository::personal_tokens(ctx.caller().user_id), "id",
                              id_param(ctx, "tokenId"));
               });
    router.add("PUT", "/profile/tokens/{tokenId}", "put-personal-access-token",
               Requirement::of("account:read_write"), update);
    router.add("DELETE", "/profile/tokens/{tokenId}", "delete-personal-access-token",
               Requirement::of("account:read_write"), remove);
}

}  // namespace linnet::api
