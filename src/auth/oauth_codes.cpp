// Issuing and redeeming authorization codes (RFC 6749 section 4.1, RFC 7636). Every check runs
// before anything changes, except replay, which must revoke what the first use issued.
#include "auth/oauth_codes.hpp"

#include "auth/oauth_error.hpp"
#include "auth/oauth_tokens.hpp"
#include "auth/pkce.hpp"
#include "auth/token.hpp"
#include "core/time.hpp"

namespace linnet::auth {

std::string issue_code(store::Transaction& tx, const CodeGrant& grant, int ttl_seconds) {
    const std::int64_t now = unix_now();
    tx.execute("DELETE FROM oauth_codes WHERE expiry_unix < ?", {now});
    const std::string code = random_hex(20);
    store::SqlValue challenge = std::monostate{};
    if (grant.code_challenge) challenge = *grant.code_challenge;
    tx.execute(
        "INSERT INTO oauth_codes (code_hash, client_id, user_id, scopes, redirect_uri, "
        "code_challenge, expiry_unix) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {sha256_hex(code), grant.client_id, grant.user_id, grant.scopes.str(), grant.redirect_uri,
         challenge, now + ttl_seconds});
    return code;
}

std::int64_t redeem_code(store::Transaction& tx, const OAuthClient& client, const std::string& code,
                         const std::optional<std::string>& redirect_uri,
                         const std::optional<std::string>& code_verifier) {
    if (code.empty() || code.size() > 256) throw oauth_errors::invalid_request("code is required");
    const std::string hash = sha256_hex(code);
    auto rows = tx.query(
        "SELECT client_id, user_id, scopes, redirect_uri, code_challenge, expiry_unix, used, "
        "app_id FROM oauth_codes WHERE code_hash = ?",
        {hash});
    if (rows.empty()) throw oauth_errors::invalid_grant("Unknown authorization code");
    const auto& row = rows.front();
    if (row.text(0) != client.id)
        throw oauth_errors::invalid_grant("The code was issued to another client");
    if (row.boolean(6)) {
        if (!row.is_null(7)) revoke_app(tx, row.integer(7));
        throw oauth_errors::invalid_grant(
            "The code was already used; the tokens it issued are revoked");
    }
    if (row.integer(5) <= unix_now())
        throw oauth_errors::invalid_grant("The authorization code has expired");
    if (redirect_uri && *redirect_uri != row.text(3))
        throw oauth_errors::invalid_grant("redirect_uri differs from the authorization request's");
    if (!row.is_null(4)) {
        if (!code_verifier) throw oauth_errors::invalid_grant("code_verifier is required");
        if (!verifier_matches(row.text(4), *code_verifier))
            throw oauth_errors::invalid_grant("code_verifier does not match the code_challenge");
    } else if (code_verifier) {
        throw oauth_errors::invalid_grant("The authorization request had no code_challenge");
    } else if (client.is_public) {
        throw oauth_errors::invalid_grant("Public clients must use PKCE");
    }
    auto scopes = ScopeSet::parse(row.text(2));
    if (!scopes) throw oauth_errors::invalid_grant("The code has no valid scopes");
    // Spent before anything is issued, and only if no concurrent request spent it first.
    if (tx.execute("UPDATE oauth_codes SET used = 1 WHERE code_hash = ? AND used = 0", {hash}) != 1)
        throw oauth_errors::invalid_grant("The code was already used");
    const std::int64_t app_id = authorize_app(tx, row.integer(1), client, *scopes);
    tx.execute("UPDATE oauth_codes SET app_id = ? WHERE code_hash = ?", {app_id, hash});
    return app_id;
}

}  // namespace linnet::auth
