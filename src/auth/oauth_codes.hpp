// Authorization codes: what the consent page hands the app through the user's browser. A code
// is single-use, short-lived, and bound to its client, its redirect_uri and its PKCE challenge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/oauth_client.hpp"
#include "auth/scope.hpp"
#include "store/database.hpp"

namespace linnet::auth {

struct CodeGrant {
    std::string client_id;
    std::int64_t user_id = 0;
    ScopeSet scopes;
    std::string redirect_uri;
    std::optional<std::string> code_challenge;  // S256
};

// Stores a new code valid for ttl_seconds; answers the code (stored only as a hash).
std::string issue_code(store::Transaction& tx, const CodeGrant& grant, int ttl_seconds);

// Redeems a code for this client; answers the authorized app's id. Throws OAuthError
// invalid_grant when the code is unknown, expired, issued to another client or redirect_uri,
// or the PKCE verifier is missing or wrong; a code presented a second time also revokes what
// its first use issued (the caller must still commit).
std::int64_t redeem_code(store::Transaction& tx, const OAuthClient& client, const std::string& code,
                         const std::optional<std::string>& redirect_uri,
                         const std::optional<std::string>& code_verifier);

}  // namespace linnet::auth
