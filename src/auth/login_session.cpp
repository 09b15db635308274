// Login sessions in the store: random ids and CSRF tokens from libsodium, ids kept as hashes,
// expired rows swept whenever a session starts.
#include "auth/login_session.hpp"

#include <sodium.h>

#include "auth/token.hpp"
#include "core/time.hpp"

namespace linnet::auth {

std::optional<LoginSession> find_session(store::Transaction& tx, std::string_view cookie) {
    if (cookie.size() != 64) return std::nullopt;
    const std::string hash = sha256_hex(cookie);
    auto rows = tx.query(
        "SELECT s.user_id, u.username, s.csrf, s.expiry_unix FROM login_sessions s "
        "LEFT JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expiry_unix > ?",
        {hash, unix_now()});
    if (rows.empty()) return std::nullopt;
    const auto& row = rows.front();
    LoginSession s;
    s.id_hash = hash;
    if (!row.is_null(0)) {
        s.user_id = row.integer(0);
        s.username = row.text(1);
    }
    s.csrf = row.text(2);
    s.expiry_unix = row.integer(3);
    return s;
}

LoginSession start_session(store::Transaction& tx, std::optional<std::int64_t> user_id,
                           int ttl_seconds) {
    const std::int64_t now = unix_now();
    tx.execute("DELETE FROM login_sessions WHERE expiry_unix <= ?", {now});
    LoginSession s;
    s.id = random_hex(32);
    s.id_hash = sha256_hex(s.id);
    s.user_id = user_id;
    s.csrf = random_hex(32);
    s.expiry_unix = now + ttl_seconds;
    store::SqlValue user = std::monostate{};
    if (user_id) {
        user = *user_id;
        auto rows = tx.query("SELECT username FROM users WHERE id = ?", {*user_id});
        if (!rows.empty()) s.username = rows.front().text(0);
    }
    tx.execute(
        "INSERT INTO login_sessions (id_hash, user_id, csrf, expiry_unix) VALUES (?, ?, ?, ?)",
        {s.id_hash, user, s.csrf, s.expiry_unix});
    return s;
}

void end_session(store::Transaction& tx, const LoginSession& session) {
    tx.execute("DELETE FROM login_sessions WHERE id_hash = ?", {session.id_hash});
}

bool csrf_matches(const LoginSession& session, std::string_view token) {
    return token.size() == session.csrf.size() && !token.empty() &&
           sodium_memcmp(token.data(), session.csrf.data(), token.size()) == 0;
}

}  // namespace linnet::auth
