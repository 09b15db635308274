// Statements on oauth_clients, authorized_apps, oauth_codes and oauth_refresh_tokens.
#include "auth/oauth_repository.hpp"

#include "store/scoped.hpp"

namespace linnet::auth {

namespace statements {
constexpr std::string_view client_columns =
    "id, user_id, label, public, redirect_uri, secret_hash, status, (SELECT COUNT(*) FROM "
    "oauth_client_thumbnails t WHERE t.client_id = oauth_clients.id) AS thumbnails";
constexpr std::string_view insert_client =
    "INSERT INTO oauth_clients (id, account_id, user_id, label, public, redirect_uri, "
    "secret_hash, status, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
const std::string find_client =
    "SELECT " + std::string(client_columns) + " FROM oauth_clients WHERE id = ? AND {{account}}";
const std::string find_owned_client = "SELECT " + std::string(client_columns) +
                                      " FROM oauth_clients WHERE id = ? AND user_id = ? AND "
                                      "{{account}}";
// A client's thumbnail is public: read by its id alone.
constexpr std::string_view thumbnail =
    "SELECT png_hex FROM oauth_client_thumbnails WHERE client_id = ?";
constexpr std::string_view set_thumbnail =
    "INSERT INTO oauth_client_thumbnails (client_id, png_hex, updated) SELECT id, ?, ? FROM "
    "oauth_clients WHERE id = ? AND {{account}} ON CONFLICT (client_id) DO UPDATE SET png_hex = "
    "excluded.png_hex, updated = excluded.updated";
constexpr std::string_view owned_by = "user_id = ? AND {{account}}";
constexpr std::string_view of_account = "{{account}}";
constexpr std::string_view set_client_label =
    "UPDATE oauth_clients SET label = ? WHERE id = ? AND {{account}}";
constexpr std::string_view set_client_redirect_uri =
    "UPDATE oauth_clients SET redirect_uri = ? WHERE id = ? AND {{account}}";
constexpr std::string_view set_client_secret_hash =
    "UPDATE oauth_clients SET secret_hash = ? WHERE id = ? AND {{account}}";
constexpr std::string_view remove_client_codes = "DELETE FROM oauth_codes WHERE client_id = ?";
constexpr std::string_view remove_client_refresh_tokens =
    "DELETE FROM oauth_refresh_tokens WHERE app_id IN "
    "(SELECT id FROM authorized_apps WHERE client_id = ?)";
constexpr std::string_view remove_client_apps = "DELETE FROM authorized_apps WHERE client_id = ?";
constexpr std::string_view remove_client = "DELETE FROM oauth_clients WHERE id = ? AND {{account}}";

constexpr std::string_view apps_table =
    "authorized_apps a JOIN oauth_clients c ON c.id = a.client_id";
constexpr std::string_view app_columns =
    "a.id AS id, a.user_id AS user_id, a.client_id AS client_id, c.label AS label, "
    "a.scopes AS scopes, a.created AS created, c.redirect_uri AS redirect_uri";
constexpr std::string_view apps_of = "a.user_id = ?";
constexpr std::string_view app_key = "a.id";
constexpr std::string_view insert_app =
    "INSERT INTO authorized_apps (user_id, client_id, scopes, created) VALUES (?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view find_app =
    "SELECT a.id AS id, a.user_id AS user_id, a.client_id AS client_id, c.label AS label, "
    "a.scopes AS scopes, a.created AS created, c.redirect_uri AS redirect_uri "
    "FROM authorized_apps a JOIN oauth_clients c ON c.id = a.client_id WHERE a.id = ?";
constexpr std::string_view remove_app_refresh_tokens =
    "DELETE FROM oauth_refresh_tokens WHERE app_id = ?";
constexpr std::string_view remove_app = "DELETE FROM authorized_apps WHERE id = ?";

constexpr std::string_view remove_expired_codes = "DELETE FROM oauth_codes WHERE expiry_unix < ?";
constexpr std::string_view insert_code =
    "INSERT INTO oauth_codes (code_hash, client_id, user_id, scopes, redirect_uri, "
    "code_challenge, expiry_unix) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view find_code =
    "SELECT code_hash, client_id, user_id, scopes, redirect_uri, code_challenge, expiry_unix, "
    "used, app_id FROM oauth_codes WHERE code_hash = ?";
constexpr std::string_view spend_code =
    "UPDATE oauth_codes SET used = 1 WHERE code_hash = ? AND used = 0";
constexpr std::string_view set_code_app = "UPDATE oauth_codes SET app_id = ? WHERE code_hash = ?";

constexpr std::string_view insert_refresh_token =
    "INSERT INTO oauth_refresh_tokens (token_hash, app_id, used, created_unix) "
    "VALUES (?, ?, 0, ?)";
constexpr std::string_view find_refresh_token =
    "SELECT r.app_id AS app_id, r.used AS used, r.created_unix AS created_unix, "
    "a.client_id AS client_id FROM oauth_refresh_tokens r "
    "JOIN authorized_apps a ON a.id = r.app_id WHERE r.token_hash = ?";
constexpr std::string_view spend_refresh_token =
    "UPDATE oauth_refresh_tokens SET used = 1 WHERE token_hash = ? AND used = 0";
constexpr std::string_view refresh_token_app =
    "SELECT r.app_id AS app_id FROM oauth_refresh_tokens r "
    "JOIN authorized_apps a ON a.id = r.app_id WHERE r.token_hash = ? AND a.client_id = ?";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kClients{{
                                  {"label", "label", FieldType::text},
                                  {"public", "public", FieldType::boolean},
                              },
                              "seq"};

const filter::Schema kApps{{
                               {"label", "c.label", FieldType::text},
                               {"created", "a.created", FieldType::time},
                           },
                           "a.id"};

OAuthClient client_from_row(const store::Row& row) {
    OAuthClient client;
    client.id = row.text("id");
    client.user_id = row.integer("user_id");
    client.label = row.text("label");
    client.is_public = row.boolean("public");
    client.redirect_uri = row.text("redirect_uri");
    client.secret_hash = row.optional_text("secret_hash");
    client.status = row.text("status");
    client.has_thumbnail = row.integer("thumbnails") > 0;
    return client;
}

AuthorizedApp app_from_row(const store::Row& row) {
    return {row.integer("id"),  row.integer("user_id"), row.text("client_id"),   row.text("label"),
            row.text("scopes"), row.text("created"),    row.text("redirect_uri")};
}

StoredCode code_from_row(const store::Row& row) {
    StoredCode code;
    code.code_hash = row.text("code_hash");
    code.client_id = row.text("client_id");
    code.user_id = row.integer("user_id");
    code.scopes = row.text("scopes");
    code.redirect_uri = row.text("redirect_uri");
    code.code_challenge = row.optional_text("code_challenge");
    code.expiry_unix = row.integer("expiry_unix");
    code.used = row.boolean("used");
    code.app_id = row.optional_integer("app_id");
    return code;
}

StoredRefreshToken refresh_from_row(const store::Row& row) {
    return {row.integer("app_id"), row.boolean("used"), row.integer("created_unix"),
            row.text("client_id")};
}

}  // namespace

void OAuthRepository::insert_client(const OAuthClient& c, const std::string& created) {
    tx_.execute(statements::insert_client, {c.id, tx_.scope().account_id(), c.user_id, c.label,
                                            std::int64_t{c.is_public ? 1 : 0}, c.redirect_uri,
                                            store::or_null(c.secret_hash), c.status, created});
}

std::optional<OAuthClient> OAuthRepository::find_client(const std::string& id,
                                                        std::optional<std::int64_t> owner) {
    auto rows = owner ? store::scoped_query(tx_, statements::find_owned_client, {id, *owner})
                      : store::scoped_query(tx_, statements::find_client, {id});
    if (rows.empty()) return std::nullopt;
    return client_from_row(rows.front());
}

void OAuthRepository::set_client_label(const std::string& id, const std::string& label) {
    store::scoped_execute(tx_, statements::set_client_label, {label, id});
}

void OAuthRepository::set_client_redirect_uri(const std::string& id,
                                              const std::string& redirect_uri) {
    store::scoped_execute(tx_, statements::set_client_redirect_uri, {redirect_uri, id});
}

void OAuthRepository::set_client_secret_hash(const std::string& id,
                                             const std::string& secret_hash) {
    store::scoped_execute(tx_, statements::set_client_secret_hash, {secret_hash, id});
}

void OAuthRepository::remove_client(const std::string& id) {
    tx_.execute(statements::remove_client_codes, {id});
    tx_.execute(statements::remove_client_refresh_tokens, {id});
    tx_.execute(statements::remove_client_apps, {id});
    store::scoped_execute(tx_, statements::remove_client, {id});
}

store::Listing OAuthRepository::clients(std::optional<std::int64_t> owner,
                                        std::function<std::string(const OAuthClient&)> render) {
    store::Listing listing{"oauth_clients", kClients, std::string(statements::of_account)};
    if (owner) {
        listing.visible = std::string(statements::owned_by);
        listing.visible_params = {*owner};
    }
    listing.columns = std::string(statements::client_columns);
    listing.render = [render = std::move(render)](const store::Row& row) {
        return render(client_from_row(row));
    };
    return listing;
}

std::int64_t OAuthRepository::insert_app(std::int64_t user_id, const std::string& client_id,
                                         const std::string& scopes, const std::string& created) {
    return tx_.query(statements::insert_app, {user_id, client_id, scopes, created})
        .at(0)
        .integer("id");
}

std::optional<AuthorizedApp> OAuthRepository::find_app(std::int64_t id) {
    auto rows = tx_.query(statements::find_app, {id});
    if (rows.empty()) return std::nullopt;
    return app_from_row(rows.front());
}

void OAuthRepository::remove_app(std::int64_t id) {
    tx_.execute(statements::remove_app_refresh_tokens, {id});
    tx_.execute(statements::remove_app, {id});
}

store::Listing OAuthRepository::apps_of(std::int64_t user_id,
                                        std::function<std::string(const AuthorizedApp&)> render) {
    store::Listing listing{
        std::string(statements::apps_table), kApps, std::string(statements::apps_of), {user_id}};
    listing.columns = std::string(statements::app_columns);
    listing.render = [render = std::move(render)](const store::Row& row) {
        return render(app_from_row(row));
    };
    return listing;
}

std::string OAuthRepository::app_key() {
    return std::string(statements::app_key);
}

void OAuthRepository::remove_codes_expired_before(std::int64_t unix_time) {
    tx_.execute(statements::remove_expired_codes, {unix_time});
}

void OAuthRepository::insert_code(const StoredCode& code) {
    tx_.execute(statements::insert_code,
                {code.code_hash, code.client_id, code.user_id, code.scopes, code.redirect_uri,
                 store::or_null(code.code_challenge), code.expiry_unix});
}

std::optional<StoredCode> OAuthRepository::find_code(const std::string& code_hash) {
    auto rows = tx_.query(statements::find_code, {code_hash});
    if (rows.empty()) return std::nullopt;
    return code_from_row(rows.front());
}

bool OAuthRepository::spend_code(const std::string& code_hash) {
    return tx_.execute(statements::spend_code, {code_hash}) == 1;
}

void OAuthRepository::set_code_app(const std::string& code_hash, std::int64_t app_id) {
    tx_.execute(statements::set_code_app, {app_id, code_hash});
}

void OAuthRepository::insert_refresh_token(const std::string& token_hash, std::int64_t app_id,
                                           std::int64_t created_unix) {
    tx_.execute(statements::insert_refresh_token, {token_hash, app_id, created_unix});
}

std::optional<StoredRefreshToken> OAuthRepository::find_refresh_token(
    const std::string& token_hash) {
    auto rows = tx_.query(statements::find_refresh_token, {token_hash});
    if (rows.empty()) return std::nullopt;
    return refresh_from_row(rows.front());
}

bool OAuthRepository::spend_refresh_token(const std::string& token_hash) {
    return tx_.execute(statements::spend_refresh_token, {token_hash}) == 1;
}

std::optional<std::int64_t> OAuthRepository::refresh_token_app(const std::string& token_hash,
                                                               const std::string& client_id) {
    auto rows = tx_.query(statements::refresh_token_app, {token_hash, client_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().integer("app_id");
}

std::optional<std::string> OAuthRepository::thumbnail(const std::string& client_id) {
    auto rows = tx_.query(statements::thumbnail, {client_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().text("png_hex");
}

void OAuthRepository::set_thumbnail(const std::string& client_id, const std::string& png_hex,
                                    const std::string& updated) {
    store::scoped_execute(tx_, statements::set_thumbnail, {png_hex, updated, client_id});
}

}  // namespace linnet::auth
