// Login sessions in the store: random ids and CSRF tokens from libsodium, ids kept as hashes,
// expired rows swept whenever a session starts.
#include "auth/login_session.hpp"

#include <sodium.h>

#include "auth/login_repository.hpp"
#include "auth/token.hpp"
#include "auth/user_repository.hpp"
#include "core/time.hpp"

namespace linnet::auth {

std::optional<LoginSession> find_session(store::Transaction& tx, std::string_view cookie) {
    if (cookie.size() != 64) return std::nullopt;
    const std::string hash = sha256_hex(cookie);
    auto found = LoginRepository(tx).find_session(hash, unix_now());
    if (!found) return std::nullopt;
    LoginSession s;
    s.id_hash = hash;
    if (found->user_id) {
        s.user_id = found->user_id;
        s.username = found->username.value();
    }
    s.csrf = found->csrf;
    s.expiry_unix = found->expiry_unix;
    s.tfa_user_id = found->tfa_user_id;
    s.tfa_username = found->tfa_username.value_or("");
    return s;
}

LoginSession start_session(store::Transaction& tx, std::optional<std::int64_t> user_id,
                           int ttl_seconds, std::optional<std::int64_t> tfa_user_id) {
    const std::int64_t now = unix_now();
    LoginRepository sessions(tx);
    sessions.remove_sessions_expired_at(now);
    LoginSession s;
    s.id = random_hex(32);
    s.id_hash = sha256_hex(s.id);
    s.user_id = user_id;
    s.csrf = random_hex(32);
    s.expiry_unix = now + ttl_seconds;
    if (user_id) {
        if (auto user = UserRepository(tx).find(*user_id)) s.username = user->username;
    }
    s.tfa_user_id = tfa_user_id;
    sessions.insert_session(
        {s.id_hash, s.user_id, std::nullopt, s.csrf, s.expiry_unix, tfa_user_id, std::nullopt});
    return s;
}

void end_session(store::Transaction& tx, const LoginSession& session) {
    LoginRepository(tx).remove_session(session.id_hash);
}

bool csrf_matches(const LoginSession& session, std::string_view token) {
    return token.size() == session.csrf.size() && !token.empty() &&
           sodium_memcmp(token.data(), session.csrf.data(), token.size()) == 0;
}

}  // namespace linnet::auth
