// POST /oauth/token and /oauth/token/expire: apps trade codes and refresh tokens for access
// tokens and give tokens back; errors take OAuth's shape, and what a replay revoked still commits.
#include <sodium.h>

#include <boost/json.hpp>

#include "auth/oauth_codes.hpp"
#include "auth/oauth_error.hpp"
#include "auth/oauth_tokens.hpp"
#include "core/json.hpp"
#include "login/routes.hpp"

namespace linnet::login {

namespace {

namespace json = boost::json;
using auth::oauth_errors::invalid_request;

http::Response oauth_json(std::string body, int status) {
    http::Response r = http::Response::json(std::move(body), status);
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Pragma", "no-cache");
    // Browser apps (public clients with PKCE) call these endpoints from their own origin; no
    // cookie is involved, so any origin may.
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
    return r;
}

http::Response preflight(http::Context&) {
    http::Response r = http::Response::json("{}", 200);
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
    r.headers.emplace_back("Access-Control-Allow-Methods", "POST, OPTIONS");
    r.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
    r.headers.emplace_back("Access-Control-Max-Age", "600");
    return r;
}

struct ClientCredentials {
    std::string id;
    std::optional<std::string> secret;
};

// "Basic base64(id:secret)" when the header is there; nullopt otherwise.
std::optional<ClientCredentials> basic_credentials(const http::Request& request) {
    auto header = request.header("authorization");
    if (!header) return std::nullopt;
    if (header->size() < 7 || header->substr(0, 6) != "Basic ")
        throw auth::oauth_errors::invalid_client("Only HTTP Basic client authentication");
    const std::string_view encoded = header->substr(6);
    std::string decoded(encoded.size(), '\0');
    std::size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(),
                          encoded.data(), encoded.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        throw auth::oauth_errors::invalid_client("Malformed HTTP Basic credentials");
    decoded.resize(length);
    const auto colon = decoded.find(':');
    if (colon == std::string::npos)
        throw auth::oauth_errors::invalid_client("Malformed HTTP Basic credentials");
    return ClientCredentials{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

http::FormFields read_form(const http::Context& ctx) {
    auto form = posted_form(ctx);
    if (!form)
        throw invalid_request(
            "The body must be application/x-www-form-urlencoded or multipart/form-data");
    for (const char* name : {"grant_type", "client_id", "client_secret", "code", "redirect_uri",
                             "code_verifier", "refresh_token", "token"})
        if (form->repeated(name)) throw invalid_request(std::string(name) + " is repeated");
    return *form;
}

// The client, authenticated by HTTP Basic or by client_id and client_secret in the form (RFC 6749
// section 2.3.1), never by both; a public client sends only its client_id.
auth::OAuthClient client_of(http::Context& ctx, const http::FormFields& form) {
    auto credentials = basic_credentials(ctx.request);
    if (credentials && (form.get("client_secret") ||
                        form.get("client_id").value_or(credentials->id) != credentials->id))
        throw invalid_request("Use either HTTP Basic or client_id and client_secret");
    if (!credentials)
        credentials =
            ClientCredentials{form.get("client_id").value_or(""), form.get("client_secret")};
    std::optional<std::string_view> secret;
    if (credentials->secret) secret = *credentials->secret;
    return auth::authenticate_client(ctx.tx(), credentials->id, secret);
}

http::Response token(http::Context& ctx) {
    const auto form = read_form(ctx);
    const auto client = client_of(ctx, form);
    const std::string grant_type = form.get("grant_type").value_or("");
    auth::TokenGrant grant;
    if (grant_type == "authorization_code") {
        const auto app = auth::redeem_code(ctx.tx(), client, form.get("code").value_or(""),
                                           form.get("redirect_uri"), form.get("code_verifier"));
        grant = auth::issue_tokens(ctx.tx(), app, true);
    } else if (grant_type == "refresh_token") {
        grant = auth::refresh_tokens(ctx.tx(), client, form.get("refresh_token").value_or(""));
    } else if (grant_type.empty()) {
        throw invalid_request("grant_type is required");
    } else {
        throw auth::oauth_errors::unsupported_grant_type(
            "grant_type must be authorization_code or refresh_token");
    }
    return oauth_json(to_json(json::object{{"access_token", grant.access_token},
                                           {"refresh_token", grant.refresh_token},
                                           {"token_type", "bearer"},
                                           {"expires_in", grant.expires_in},
                                           {"scopes", grant.scopes}}),
                      200);
}

http::Response expire(http::Context& ctx) {
    const auto form = read_form(ctx);
    const auto client = client_of(ctx, form);
    const auto token = form.get("token");
    if (!token || token->empty()) throw invalid_request("token is required");
    auth::revoke_token(ctx.tx(), client, *token);
    return oauth_json("{}", 200);
}

// Runs an endpoint; an OAuthError becomes its JSON answer and the transaction still commits.
http::Handler answering_oauth_errors(http::Response (*endpoint)(http::Context&)) {
    return [endpoint](http::Context& ctx) {
        try {
            return endpoint(ctx);
        } catch (const auth::OAuthError& e) {
            http::Response r = oauth_json(auth::render_oauth_error(e), e.status());
            if (e.status() == 401)
                r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"linnet\"");
            return r;
        }
    };
}

}  // namespace

void register_token_endpoint(http::Router& router) {
    const auto open = auth::Requirement::open();
    router.add("POST", "/oauth/token", "oauth-token", open, answering_oauth_errors(token));
    router.add("POST", "/oauth/token/expire", "oauth-token-expire", open,
               answering_oauth_errors(expire));
    router.add("OPTIONS", "/oauth/token", "oauth-token-preflight", open, preflight);
    router.add("OPTIONS", "/oauth/token/expire", "oauth-token-expire-preflight", open, preflight);
    // RFC 7009's name for the same thing, where Cloud Manager signs out.
    router.add("POST", "/oauth/revoke", "oauth-revoke", open, answering_oauth_errors(expire));
    router.add("OPTIONS", "/oauth/revoke", "oauth-revoke-preflight", open, preflight);
}

}  // namespace linnet::login
