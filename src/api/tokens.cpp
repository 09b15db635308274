// Personal access tokens of the caller: /profile/tokens. A new token's scopes can be no wider
// than the scopes of the token that creates it; the secret is shown only in the create response.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/token.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using filter::FieldType;

const filter::Schema kTokens{{
                                 {"label", "label", FieldType::text},
                                 {"created", "created", FieldType::time},
                             },
                             "id"};

const char* kMine = "user_id = ? AND kind = 'personal_access_token'";

http::Response create(http::Context& ctx) {
    const auto& me = ctx.caller();
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
    reader.finish();
    auto token = auth::create_token(
        ctx.tx(), {me.user_id, label.value_or(""), scopes, expiry, "personal_access_token"});
    return http::Response::json(token.doc);
}

http::Response update(http::Context& ctx) {
    const auto& me = ctx.caller();
    const std::int64_t id = id_param(ctx, "tokenId");
    json::object doc =
        json::parse(find_doc(ctx.tx(), "tokens", "id", id, kMine, {me.user_id})).as_object();
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {false, 1, 100});
    reader.finish();
    if (label) {
        doc["label"] = *label;
        ctx.tx().execute("UPDATE tokens SET label = ?, doc = ? WHERE id = ?",
                         {*label, to_json(doc), id});
    }
    return http::Response::json(to_json(doc));
}

http::Response remove(http::Context& ctx) {
    const auto& me = ctx.caller();
    const std::int64_t id = id_param(ctx, "tokenId");
    find_doc(ctx.tx(), "tokens", "id", id, kMine, {me.user_id});
    ctx.tx().execute("DELETE FROM tokens WHERE id = ?", {id});
    return http::Response::json("{}");
}

}  // namespace

void register_tokens(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/profile/tokens", "get-personal-access-tokens",
               Requirement::of("account:read_only"), [](http::Context& ctx) {
                   return list(ctx, {"tokens", kTokens, kMine, {ctx.caller().user_id}});
               });
    router.add("POST", "/profile/tokens", "post-personal-access-token",
               Requirement::of("account:read_write"), create);
    router.add(
        "GET", "/profile/tokens/{tokenId}", "get-personal-access-token",
        Requirement::of("account:read_only"), [](http::Context& ctx) {
            return http::Response::json(find_doc(ctx.tx(), "tokens", "id", id_param(ctx, "tokenId"),
                                                 kMine, {ctx.caller().user_id}));
        });
    router.add("PUT", "/profile/tokens/{tokenId}", "put-personal-access-token",
               Requirement::of("account:read_write"), update);
    router.add("DELETE", "/profile/tokens/{tokenId}", "delete-personal-access-token",
               Requirement::of("account:read_write"), remove);
}

}  // namespace linnet::api
