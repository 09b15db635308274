// Authorized apps and their token chains. Refresh tokens live in their own table so that they
// can never be presented as bearer tokens; only their SHA-256 hash is stored.
#include "auth/oauth_tokens.hpp"

#include "auth/oauth_error.hpp"
#include "auth/token.hpp"
#include "core/time.hpp"

namespace linnet::auth {

namespace {

constexpr std::int64_t kRefreshTokenSeconds = 30 * 24 * 3600;

struct App {
    std::int64_t id;
    std::int64_t user_id;
    std::string client_id;
    std::string label;
    std::string scopes;
};

std::optional<App> find_app(store::Transaction& tx, std::int64_t app_id) {
    auto rows = tx.query(
        "SELECT a.id, a.user_id, a.client_id, c.label, a.scopes FROM authorized_apps a "
        "JOIN oauth_clients c ON c.id = a.client_id WHERE a.id = ?",
        {app_id});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows.front();
    return App{r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4)};
}

}  // namespace

std::int64_t authorize_app(store::Transaction& tx, std::int64_t user_id, const OAuthClient& client,
                           const ScopeSet& scopes) {
    auto rows = tx.query(
        "INSERT INTO authorized_apps (user_id, client_id, scopes, created) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        {user_id, client.id, scopes.str(), now_utc()});
    return rows.at(0).integer(0);
}

TokenGrant issue_tokens(store::Transaction& tx, std::int64_t app_id, bool with_refresh) {
    const auto app = find_app(tx, app_id);
    if (!app) throw oauth_errors::invalid_grant("The authorization was revoked");
    auto scopes = ScopeSet::parse(app->scopes);
    if (!scopes) throw oauth_errors::invalid_grant("The authorization has no valid scopes");
    auto access = create_token(
        tx, {app->user_id, app->label, *scopes, unix_now() + kAccessTokenSeconds, "oauth"});
    tx.execute("UPDATE tokens SET app_id = ? WHERE id = ?", {app_id, access.id});
    TokenGrant grant{access.token, "", scopes->str(), kAccessTokenSeconds};
    if (with_refresh) {
        grant.refresh_token = random_hex(32);
        tx.execute(
            "INSERT INTO oauth_refresh_tokens (token_hash, app_id, used, created_unix) "
            "VALUES (?, ?, 0, ?)",
            {sha256_hex(grant.refresh_token), app_id, unix_now()});
    }
    return grant;
}

TokenGrant refresh_tokens(store::Transaction& tx, const OAuthClient& client,
                          const std::string& refresh_token) {
    if (refresh_token.empty() || refresh_token.size() > 256)
        throw oauth_errors::invalid_request("refresh_token is required");
    auto rows = tx.query(
        "SELECT r.app_id, r.used, r.created_unix, a.client_id FROM oauth_refresh_tokens r "
        "JOIN authorized_apps a ON a.id = r.app_id WHERE r.token_hash = ?",
        {sha256_hex(refresh_token)});
    if (rows.empty()) throw oauth_errors::invalid_grant("Unknown refresh token");
    const auto& row = rows.front();
    const std::int64_t app_id = row.integer(0);
    if (row.text(3) != client.id)
        throw oauth_errors::invalid_grant("The refresh token was issued to another client");
    if (row.boolean(1)) {
        // A spent token came back: whoever holds the chain now may be a thief.
        revoke_app(tx, app_id);
        throw oauth_errors::invalid_grant(
            "The refresh token was already used; the authorization is revoked");
    }
    if (row.integer(2) + kRefreshTokenSeconds <= unix_now())
        throw oauth_errors::invalid_grant("The refresh token has expired");
    // Spent only if no concurrent request spent it first.
    if (tx.execute("UPDATE oauth_refresh_tokens SET used = 1 WHERE token_hash = ? AND used = 0",
                   {sha256_hex(refresh_token)}) != 1)
        throw oauth_errors::invalid_grant("The refresh token was already used");
    return issue_tokens(tx, app_id, true);
}

void revoke_token(store::Transaction& tx, const OAuthClient& client, const std::string& token) {
    if (token.empty() || token.size() > 256) return;
    const std::string hash = sha256_hex(token);
    auto access = tx.query(
        "SELECT t.id FROM tokens t JOIN authorized_apps a ON a.id = t.app_id "
        "WHERE t.token_hash = ? AND a.client_id = ?",
        {hash, client.id});
    if (!access.empty()) {
        tx.execute("DELETE FROM tokens WHERE id = ?", {access.front().integer(0)});
        return;
    }
    auto refresh = tx.query(
        "SELECT r.app_id FROM oauth_refresh_tokens r JOIN authorized_apps a ON a.id = r.app_id "
        "WHERE r.token_hash = ? AND a.client_id = ?",
        {hash, client.id});
    if (!refresh.empty()) revoke_app(tx, refresh.front().integer(0));
}

void revoke_app(store::Transaction& tx, std::int64_t app_id) {
    tx.execute("DELETE FROM tokens WHERE app_id = ?", {app_id});
    tx.execute("DELETE FROM oauth_refresh_tokens WHERE app_id = ?", {app_id});
    tx.execute("DELETE FROM authorized_apps WHERE id = ?", {app_id});
}

}  // namespace linnet::auth
