// Issuing and redeeming authorization codes (RFC 6749 section 4.1, RFC 7636). Every check runs
// before anything changes, except replay, which must revoke what the first use issued.
#include "auth/oauth_codes.hpp"

#include "auth/oauth_error.hpp"
#include "auth/oauth_repository.hpp"
#include "auth/oauth_tokens.hpp"
#include "auth/pkce.hpp"
#include "auth/token.hpp"
#include "core/time.hpp"

namespace linnet::auth {

std::string issue_code(store::Transaction& tx, const CodeGrant& grant, int ttl_seconds) {
    const std::int64_t now = unix_now();
    OAuthRepository oauth(tx);
    oauth.remove_codes_expired_before(now);
    const std::string code = random_hex(20);
    StoredCode stored;
    stored.code_hash = sha256_hex(code);
    stored.client_id = grant.client_id;
    stored.user_id = grant.user_id;
    stored.scopes = grant.scopes.str();
    stored.redirect_uri = grant.redirect_uri;
    stored.code_challenge = grant.code_challenge;
    stored.expiry_unix = now + ttl_seconds;
    oauth.insert_code(stored);
    return code;
}

std::int64_t redeem_code(store::Transaction& tx, const OAuthClient& client, const std::string& code,
                         const std::optional<std::string>& redirect_uri,
                         const std::optional<std::string>& code_verifier) {
    if (code.empty() || code.size() > 256) throw oauth_errors::invalid_request("code is required");
    const std::string hash = sha256_hex(code);
    OAuthRepository oauth(tx);
    const auto found = oauth.find_code(hash);
    if (!found) throw oauth_errors::invalid_grant("Unknown authorization code");
    const StoredCode& stored = *found;
    if (stored.client_id != client.id)
        throw oauth_errors::invalid_grant("The code was issued to another client");
    if (stored.used) {
        if (stored.app_id) revoke_app(tx, *stored.app_id);
        throw oauth_errors::invalid_grant(
            "The code was already used; the tokens it issued are revoked");
    }
    if (stored.expiry_unix <= unix_now())
        throw oauth_errors::invalid_grant("The authorization code has expired");
    if (redirect_uri && *redirect_uri != stored.redirect_uri)
        throw oauth_errors::invalid_grant("redirect_uri differs from the authorization request's");
    if (stored.code_challenge) {
        if (!code_verifier) throw oauth_errors::invalid_grant("code_verifier is required");
        if (!verifier_matches(*stored.code_challenge, *code_verifier))
            throw oauth_errors::invalid_grant("code_verifier does not match the code_challenge");
    } else if (code_verifier) {
        throw oauth_errors::invalid_grant("The authorization request had no code_challenge");
    } else if (client.is_public) {
        throw oauth_errors::invalid_grant("Public clients must use PKCE");
    }
    auto scopes = ScopeSet::parse(stored.scopes);
    if (!scopes) throw oauth_errors::invalid_grant("The code has no valid scopes");
    // Spent before anything is issued, and only if no concurrent request spent it first.
    if (!oauth.spend_code(hash)) throw oauth_errors::invalid_grant("The code was already used");
    const std::int64_t app_id = authorize_app(tx, stored.user_id, client, *scopes);
    oauth.set_code_app(hash, app_id);
    return app_id;
}

}  // namespace linnet::auth
