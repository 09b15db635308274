// Who is calling: the user and the token behind an Authorization header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/scope.hpp"
#include "store/database.hpp"

namespace linnet::auth {

struct Principal {
    std::int64_t user_id = 0;
    std::int64_t account_id = 0;
    std::string username;
    bool restricted = false;
    std::int64_t token_id = 0;
    ScopeSet scopes;
    // When the calling token expires (Unix seconds), if it does.
    std::optional<std::int64_t> expiry_unix;
    // The version of the account's lists of `list_family`, read with the token (see
    // authenticate()); empty when no family was asked for.
    std::string list_family;
    std::optional<std::int64_t> list_version;
};

// Answers the principal of "Bearer TOKEN" (or the 2016 form "token TOKEN"); nullopt when the
// header is malformed, the token unknown, or expired. A route that answers a versioned list
// names its family: the list's version is read in the same statement as the token.
std::optional<Principal> authenticate(store::Transaction& tx, std::string_view authorization,
                                      std::string_view list_family = {});

// A caller asked about with others (authenticate_all): its Authorization header and the list
// family of the route it calls ("" for none).
struct Caller {
    std::string_view authorization;
    std::string_view list_family;
};
// The principals of several callers, their tokens found in one statement: an answer per caller,
// in their order, as authenticate() would give it.
std::vector<std::optional<Principal>> authenticate_all(store::Transaction& tx,
                                                       const std::vector<Caller>& callers);

// Creates a user; answers its id. The first user of an installation is unrestricted.
std::int64_t create_user(store::Transaction& tx, const std::string& username,
                         const std::string& email, bool restricted);
std::optional<std::int64_t> find_user(store::Transaction& tx, const std::string& username);
// True when username has the shape the API allows.
bool valid_username(std::string_view username);

}  // namespace linnet::auth
