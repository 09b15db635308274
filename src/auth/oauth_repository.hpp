// The OAuth tables (oauth_clients, authorized_apps, oauth_codes, oauth_refresh_tokens): every
// statement on them lives in oauth_repository.cpp. Access tokens are in token_repository.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "store/database.hpp"
#include "store/listing.hpp"

namespace linnet::auth {

struct OAuthClient {
    std::string id;  // 20 hex digits, public
    std::int64_t user_id = 0;
    std::string label;
    bool is_public = false;
    std::string redirect_uri;
    std::optional<std::string> secret_hash;
    std::string status = "active";
    bool has_thumbnail = false;  // read with the client
};

// An app a user authorized, with its client's label.
struct AuthorizedApp {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string client_id;
    std::string label;
    std::string scopes;
    std::string created;
    std::string redirect_uri;
};

struct StoredCode {
    std::string code_hash;
    std::string client_id;
    std::int64_t user_id = 0;
    std::string scopes;
    std::string redirect_uri;
    std::optional<std::string> code_challenge;
    std::int64_t expiry_unix = 0;
    bool used = false;
    std::optional<std::int64_t> app_id;
};

// A refresh token found by its hash, with the client its app belongs to.
struct StoredRefreshToken {
    std::int64_t app_id = 0;
    bool used = false;
    std::int64_t created_unix = 0;
    std::string client_id;
};

class OAuthRepository {
  public:
    explicit OAuthRepository(store::Transaction& tx) : tx_(tx) {}

    // Clients. owner: only that user's clients; nullopt: every client of the account.
    void insert_client(const OAuthClient& client, const std::string& created);
    std::optional<OAuthClient> find_client(const std::string& id,
                                           std::optional<std::int64_t> owner = std::nullopt);
    void set_client_label(const std::string& id, const std::string& label);
    void set_client_redirect_uri(const std::string& id, const std::string& redirect_uri);
    void set_client_secret_hash(const std::string& id, const std::string& secret_hash);
    // The client's PNG thumbnail as hexadecimal, by the client's id alone (it is public).
    std::optional<std::string> thumbnail(const std::string& client_id);
    void set_thumbnail(const std::string& client_id, const std::string& png_hex,
                       const std::string& updated);
    // The client with its codes, refresh tokens and authorized apps (not their access tokens).
    void remove_client(const std::string& id);
    static store::Listing clients(std::optional<std::int64_t> owner,
                                  std::function<std::string(const OAuthClient&)> render);

    // Authorized apps.
    std::int64_t insert_app(std::int64_t user_id, const std::string& client_id,
                            const std::string& scopes, const std::string& created);
    std::optional<AuthorizedApp> find_app(std::int64_t id);
    // The app with its refresh tokens (not its access tokens).
    void remove_app(std::int64_t id);
    static store::Listing apps_of(std::int64_t user_id,
                                  std::function<std::string(const AuthorizedApp&)> render);
    // The column that names one app of apps_of (for api::one).
    static std::string app_key();

    // Authorization codes.
    void remove_codes_expired_before(std::int64_t unix_time);
    void insert_code(const StoredCode& code);
    std::optional<StoredCode> find_code(const std::string& code_hash);
    // Marks an unused code used; false when it was used already.
    bool spend_code(const std::string& code_hash);
    void set_code_app(const std::string& code_hash, std::int64_t app_id);

    // Refresh tokens.
    void insert_refresh_token(const std::string& token_hash, std::int64_t app_id,
                              std::int64_t created_unix);
    std::optional<StoredRefreshToken> find_refresh_token(const std::string& token_hash);
    // Marks an unused refresh token used; false when it was used already.
    bool spend_refresh_token(const std::string& token_hash);
    // The app of the refresh token with this hash, when the client holds it.
    std::optional<std::int64_t> refresh_token_app(const std::string& token_hash,
                                                  const std::string& client_id);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::auth
