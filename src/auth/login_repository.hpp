// The login service's own tables (login_sessions, login_failures): every statement on them lives
// in login_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace linnet::auth {

// A session row, with the username of a signed-in session's user.
struct StoredSession {
    std::string id_hash;
    std::optional<std::int64_t> user_id;
    std::optional<std::string> username;
    std::string csrf;
    std::int64_t expiry_unix = 0;
    // A session whose password was taken, waiting for the two-factor code of this user.
    std::optional<std::int64_t> tfa_user_id = std::nullopt;
    std::optional<std::string> tfa_username = std::nullopt;
};

// Failed logins of one subject ("user:NAME", "address:IP").
struct Failures {
    std::string subject;
    std::int64_t failures = 0;
    std::int64_t last_unix = 0;
    std::int64_t locked_until = 0;
};

class LoginRepository {
  public:
    explicit LoginRepository(store::Transaction& tx) : tx_(tx) {}

    // The session with this id hash that is still live at `now`.
    std::optional<StoredSession> find_session(const std::string& id_hash, std::int64_t now);
    void insert_session(const StoredSession& session);
    void remove_session(const std::string& id_hash);
    // Sweeps the sessions that have expired at `now`.
    void remove_sessions_expired_at(std::int64_t now);

    std::optional<Failures> find_failures(const std::string& subject);
    // Inserts or replaces the subject's count.
    void save_failures(const Failures& failures);
    void remove_failures(const std::string& subject);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::auth
