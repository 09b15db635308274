// Browser sessions of the login service: anonymous ones carry the CSRF token of a form, signed-in
// ones a user; the cookie holds a random id and the store only its SHA-256 hash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace linnet::auth {

struct LoginSession {
    std::string id;  // the cookie value; empty when the session was found by it
    std::string id_hash;
    std::optional<std::int64_t> user_id;  // none: anonymous
    std::string username;
    std::string csrf;
    std::int64_t expiry_unix = 0;
    // Anonymous, its password taken: waiting for this user's two-factor code.
    std::optional<std::int64_t> tfa_user_id;
    std::string tfa_username;
};

// The live session a cookie value names.
std::optional<LoginSession> find_session(store::Transaction& tx, std::string_view cookie);

// A new session with a fresh id and CSRF token, for ttl_seconds. Expired sessions are swept.
LoginSession start_session(store::Transaction& tx, std::optional<std::int64_t> user_id,
                           int ttl_seconds, std::optional<std::int64_t> tfa_user_id = std::nullopt);

void end_session(store::Transaction& tx, const LoginSession& session);

// True when a form's CSRF token is the session's (compared in constant time).
bool csrf_matches(const LoginSession& session, std::string_view token);

}  // namespace linnet::auth
