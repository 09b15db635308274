// The tokens table (personal access tokens and OAuth access tokens, stored as hashes): every
// statement on it lives in token_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/listing.hpp"

namespace linnet::auth {

struct NewTokenRow {
    std::int64_t user_id = 0;
    std::string kind;
    std::string label;
    std::string scopes;
    std::string token_hash;
    std::string token_prefix;
    std::string created;
    std::optional<std::string> expiry;
    std::optional<std::int64_t> expiry_unix;
};

// A token found by its hash, with the user it speaks for.
struct BearerToken {
    std::int64_t token_id = 0;
    std::string scopes;
    std::optional<std::int64_t> expiry_unix;
    std::int64_t user_id = 0;
    std::int64_t account_id = 0;
    std::string username;
    bool restricted = false;
    // The version of the account's lists of the family asked for, when one was.
    std::optional<std::int64_t> list_version;
};

// A token asked about with others (TokenRepository::find_bearers): its hash, and the family of
// lists whose version comes along ("" for none).
struct BearerLookup {
    std::string token_hash;
    std::string list_family;
};

class TokenRepository {
  public:
    explicit TokenRepository(store::Transaction& tx) : tx_(tx) {}

    // Stores a token with an empty document; answers its id.
    std::int64_t insert(const NewTokenRow& token);
    void set_doc(std::int64_t id, const std::string& doc);
    // Makes an access token part of an authorized app's chain.
    void set_app(std::int64_t id, std::int64_t app_id);

    // With a list family (e.g. "linodes"), the account's version of those lists comes along.
    std::optional<BearerToken> find_bearer(const std::string& token_hash,
                                           std::string_view list_family = {});
    // The tokens of several lookups, found in one statement (up to kBearersAtOnce lookups a
    // statement): an answer per lookup, in their order, nullopt where none is found.
    static constexpr std::size_t kBearersAtOnce = 16;
    std::vector<std::optional<BearerToken>> find_bearers(const std::vector<BearerLookup>& lookups);
    // The id of the OAuth access token with this hash that the client's apps hold.
    std::optional<std::int64_t> find_for_client(const std::string& token_hash,
                                                const std::string& client_id);

    // The personal access tokens of a user, as stored documents.
    static store::Listing personal_tokens(std::int64_t user_id);
    std::optional<std::string> personal_doc(std::int64_t user_id, std::int64_t id);
    void rename(std::int64_t id, const std::string& label, const std::string& doc);

    void remove(std::int64_t id);
    void remove_for_user(std::int64_t user_id);
    void remove_for_app(std::int64_t app_id);
    // The access tokens of every app authorized for the client.
    void remove_for_client(const std::string& client_id);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::auth
