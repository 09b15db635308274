// Authorized apps (as /profile/apps shows them), each owning a chain of OAuth access tokens and
// single-use refresh tokens; a refresh token used twice has leaked, so its chain is revoked.
#pragma once

#include <cstdint>
#include <string>

#include "auth/oauth_client.hpp"
#include "auth/scope.hpp"
#include "store/database.hpp"

namespace linnet::auth {

constexpr int kAccessTokenSeconds = 7200;

struct TokenGrant {
    std::string access_token;
    std::string refresh_token;  // empty for the implicit flow
    std::string scopes;
    int expires_in = kAccessTokenSeconds;
};

// Records that the user authorized the client for these scopes; answers the app's id.
std::int64_t authorize_app(store::Transaction& tx, std::int64_t user_id, const OAuthClient& client,
                           const ScopeSet& scopes);

// A new access token for the app and, unless implicit, a refresh token.
TokenGrant issue_tokens(store::Transaction& tx, std::int64_t app_id, bool with_refresh);

// Trades a refresh token of this client for a new pair; the old one is spent. Throws
// OAuthError invalid_grant for an unknown, foreign or expired one, and for a spent one, after
// revoking its whole chain (the caller must still commit).
TokenGrant refresh_tokens(store::Transaction& tx, const OAuthClient& client,
                          const std::string& refresh_token);

// Revokes an access or refresh token this client holds (a refresh token takes its chain with
// it). Unknown tokens are ignored, as RFC 7009 asks.
void revoke_token(store::Transaction& tx, const OAuthClient& client, const std::string& token);

// Ends an authorization: its tokens, refresh tokens and the app itself.
void revoke_app(store::Transaction& tx, std::int64_t app_id);

}  // namespace linnet::auth
