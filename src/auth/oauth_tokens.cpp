// Authorized apps and their token chains. Refresh tokens live in their own table so that they
// can never be presented as bearer tokens; only their SHA-256 hash is stored.
#include "auth/oauth_tokens.hpp"

#include "auth/oauth_error.hpp"
#include "auth/oauth_repository.hpp"
#include "auth/token.hpp"
#include "auth/token_repository.hpp"
#include "core/time.hpp"

namespace linnet::auth {

namespace {

constexpr std::int64_t kRefreshTokenSeconds = 30 * 24 * 3600;

}  // namespace

std::int64_t authorize_app(store::Transaction& tx, std::int64_t user_id, const OAuthClient& client,
                           const ScopeSet& scopes) {
    return OAuthRepository(tx).insert_app(user_id, client.id, scopes.str(), now_utc());
}

TokenGrant issue_tokens(store::Transaction& tx, std::int64_t app_id, bool with_refresh) {
    OAuthRepository oauth(tx);
    const auto app = oauth.find_app(app_id);
    if (!app) throw oauth_errors::invalid_grant("The authorization was revoked");
    auto scopes = ScopeSet::parse(app->scopes);
    if (!scopes) throw oauth_errors::invalid_grant("The authorization has no valid scopes");
    auto access = create_token(
        tx, {app->user_id, app->label, *scopes, unix_now() + kAccessTokenSeconds, "oauth"});
    TokenRepository(tx).set_app(access.id, app_id);
    TokenGrant grant{access.token, "", scopes->str(), kAccessTokenSeconds};
    if (with_refresh) {
        grant.refresh_token = random_hex(32);
        oauth.insert_refresh_token(sha256_hex(grant.refresh_token), app_id, unix_now());
    }
    return grant;
}

TokenGrant refresh_tokens(store::Transaction& tx, const OAuthClient& client,
                          const std::string& refresh_token) {
    if (refresh_token.empty() || refresh_token.size() > 256)
        throw oauth_errors::invalid_request("refresh_token is required");
    OAuthRepository oauth(tx);
    const auto found = oauth.find_refresh_token(sha256_hex(refresh_token));
    if (!found) throw oauth_errors::invalid_grant("Unknown refresh token");
    const std::int64_t app_id = found->app_id;
    if (found->client_id != client.id)
        throw oauth_errors::invalid_grant("The refresh token was issued to another client");
    if (found->used) {
        // A spent token came back: whoever holds the chain now may be a thief.
        revoke_app(tx, app_id);
        throw oauth_errors::invalid_grant(
            "The refresh token was already used; the authorization is revoked");
    }
    if (found->created_unix + kRefreshTokenSeconds <= unix_now())
        throw oauth_errors::invalid_grant("The refresh token has expired");
    // Spent only if no concurrent request spent it first.
    if (!oauth.spend_refresh_token(sha256_hex(refresh_token)))
        throw oauth_errors::invalid_grant("The refresh token was already used");
    return issue_tokens(tx, app_id, true);
}

void revoke_token(store::Transaction& tx, const OAuthClient& client, const std::string& token) {
    if (token.empty() || token.size() > 256) return;
    const std::string hash = sha256_hex(token);
    TokenRepository tokens(tx);
    if (const auto access = tokens.find_for_client(hash, client.id)) {
        tokens.remove(*access);
        return;
    }
    if (const auto app = OAuthRepository(tx).refresh_token_app(hash, client.id))
        revoke_app(tx, *app);
}

void revoke_app(store::Transaction& tx, std::int64_t app_id) {
    TokenRepository(tx).remove_for_app(app_id);
    OAuthRepository(tx).remove_app(app_id);
}

}  // namespace linnet::auth
