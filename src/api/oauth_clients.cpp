// /account/oauth-clients: the apps registered on the account. A secret is shown only on create
// and reset-secret and stored as a SHA-256 hash; deleting a client revokes its tokens.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/oauth_client.hpp"
#include "auth/oauth_repository.hpp"
#include "auth/token.hpp"
#include "auth/token_repository.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "jobs/events.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

using auth::OAuthClient;
using auth::OAuthRepository;

json::object render(const OAuthClient& client) {
    return json::object{
        {"id", client.id},
        {"label", client.label},
        {"public", client.is_public},
        {"redirect_uri", client.redirect_uri},
        {"secret", "<REDACTED>"},
        {"status", client.status},
        {"thumbnail_url", client.has_thumbnail
                              ? json::value("/v4/account/oauth-clients/" + client.id + "/thumbnail")
                              : json::value(nullptr)}};
}

// Unrestricted users manage every client of the account; a restricted user only their own.
std::optional<std::int64_t> owner_visible_to(const http::Context& ctx) {
    const auto& me = ctx.caller();
    if (me.restricted) return me.user_id;
    return std::nullopt;
}

json::object load(http::Context& ctx, const std::string& id) {
    auto client = OAuthRepository(ctx.tx()).find_client(id, owner_visible_to(ctx));
    if (!client) throw errors::not_found();
    return render(*client);
}

json::object load(http::Context& ctx) {
    return load(ctx, ctx.param("clientId"));
}

void record(http::Context& ctx, const char* action, const json::object& client) {
    const auto& me = ctx.caller();
    const std::string id(client.at("id").as_string());
    jobs::record_event(ctx.tx(), {action,
                                  jobs::Entity{json::value(id), "oauth_client",
                                               std::string(client.at("label").as_string()),
                                               "/v4/account/oauth-clients/" + id},
                                  std::nullopt, "notification", me.user_id, me.username, ""});
}

std::optional<std::string> read_redirect_uri(BodyReader& reader, bool required) {
    auto uri = reader.string("redirect_uri", {required, 1, 2048});
    if (uri && !auth::valid_redirect_uri(*uri)) {
        reader.fail("redirect_uri", "redirect_uri must be an http or https URL without fragment");
        return std::nullopt;
    }
    return uri;
}

http::Response create(http::Context& ctx) {
    const auto& me = ctx.caller();
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {true, 1, 512});
    auto redirect_uri = read_redirect_uri(reader, true);
    const bool is_public = reader.boolean("public").value_or(false);
    reader.finish();

    const std::string id = auth::random_hex(10);
    std::optional<std::string> secret;
    OAuthClient stored{id, me.user_id, *label, is_public, *redirect_uri, std::nullopt, "active"};
    if (!is_public) {
        secret = auth::random_hex(32);
        stored.secret_hash = auth::sha256_hex(*secret);
    }
    OAuthRepository(ctx.tx()).insert_client(stored, now_utc());
    json::object client = load(ctx, id);
    record(ctx, "oauth_client_create", client);
    if (secret) client["secret"] = *secret;
    return http::Response::json(to_json(client));
}

http::Response update(http::Context& ctx) {
    json::object client = load(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {false, 1, 512});
    auto redirect_uri = read_redirect_uri(reader, false);
    auto is_public = reader.boolean("public");
    if (is_public && *is_public != client.at("public").as_bool())
        reader.fail("public", "public cannot be changed; register a new client instead");
    // Read-only: what GET shows may come back unchanged (SDKs save whole objects); a change is
    // refused.
    for (const char* readonly : {"id", "secret", "status", "thumbnail_url"})
        if (const auto* sent = body.if_contains(readonly);
            sent && (!client.contains(readonly) || *sent != client.at(readonly)))
            reader.fail(readonly, std::string(readonly) + " is read-only");
    reader.finish();
    const std::string id(client.at("id").as_string());
    OAuthRepository oauth(ctx.tx());
    if (label) {
        oauth.set_client_label(id, *label);
        client["label"] = *label;
    }
    if (redirect_uri) {
        oauth.set_client_redirect_uri(id, *redirect_uri);
        client["redirect_uri"] = *redirect_uri;
    }
    record(ctx, "oauth_client_update", client);
    return http::Response::json(to_json(client));
}

http::Response remove(http::Context& ctx) {
    const json::object client = load(ctx);
    const std::string id(client.at("id").as_string());
    auth::TokenRepository(ctx.tx()).remove_for_client(id);
    OAuthRepository(ctx.tx()).remove_client(id);
    record(ctx, "oauth_client_delete", client);
    return http::Response::json("{}");
}

http::Response reset_secret(http::Context& ctx) {
    json::object client = load(ctx);
    if (client.at("public").as_bool()) throw errors::bad_request("Public clients have no secret");
    const std::string secret = auth::random_hex(32);
    OAuthRepository(ctx.tx()).set_client_secret_hash(std::string(client.at("id").as_string()),
                                                     auth::sha256_hex(secret));
    record(ctx, "oauth_client_secret_reset", client);
    client["secret"] = secret;
    return http::Response::json(to_json(client));
}

// The thumbnail is a PNG of at most 128 KiB, kept as hexadecimal.
constexpr std::size_t kThumbnailMaxBytes = 128 * 1024;

http::Response put_thumbnail(http::Context& ctx) {
    load(ctx);  // a client the caller manages
    const auto& png = ctx.request.body;
    static constexpr std::string_view kSignature = "\x89PNG\r\n\x1a\n";
    if (png.size() <= kSignature.size() || png.compare(0, kSignature.size(), kSignature) != 0)
        throw errors::bad_request("The thumbnail must be a PNG image (sent as image/png)");
    if (png.size() > kThumbnailMaxBytes)
        throw errors::bad_request("The thumbnail must be at most 128 KiB");
    OAuthRepository(ctx.tx()).set_thumbnail(
        ctx.param("clientId"),
        auth::to_hex(reinterpret_cast<const unsigned char*>(png.data()), png.size()), now_utc());
    return http::Response::json("{}");
}

http::Response get_thumbnail(http::Context& ctx) {
    const auto hex = OAuthRepository(ctx.tx()).thumbnail(ctx.param("clientId"));
    if (!hex) throw errors::not_found();
    http::Response r;
    r.body.clear();
    for (std::size_t i = 0; i + 1 < hex->size(); i += 2)
        r.body += static_cast<char>(std::stoi(hex->substr(i, 2), nullptr, 16));
    r.content_type = "image/png";
    return r;
}

}  // namespace

void register_oauth_clients(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/account/oauth-clients", "get-clients", Requirement::of("account:read_only"),
               [](http::Context& ctx) {
                   return list(ctx, OAuthRepository::clients(owner_visible_to(ctx),
                                                             [](const OAuthClient& client) {
                                                                 return to_json(render(client));
                                                             }));
               });
    router.add("POST", "/account/oauth-clients", "post-client",
               Requirement::of("account:read_write"), create);
    router.add("GET", "/account/oauth-clients/{clientId}", "get-client",
               Requirement::of("account:read_only"),
               [](http::Context& ctx) { return http::Response::json(to_json(load(ctx))); });
    router.add("PUT", "/account/oauth-clients/{clientId}", "put-client",
               Requirement::of("account:read_write"), update);
    router.add("DELETE", "/account/oauth-clients/{clientId}", "delete-client",
               Requirement::of("account:read_write"), remove);
    router.add("POST", "/account/oauth-clients/{clientId}/reset-secret", "post-reset-client-secret",
               Requirement::of("account:read_write"), reset_secret);
    // Public: an app's thumbnail shows on the consent page and to anyone.
    router.add("GET", "/account/oauth-clients/{clientId}/thumbnail", "get-client-thumbnail",
               Requirement::open(), get_thumbnail);
    router.add("PUT", "/account/oauth-clients/{clientId}/thumbnail", "put-client-thumbnail",
               Requirement::of("account:read_write"), put_thumbnail);
}

}  // namespace linnet::api
