// Statements on login_sessions and login_failures.
#include "auth/login_repository.hpp"

namespace linnet::auth {

namespace statements {
constexpr std::string_view find_session =
    "SELECT s.id_hash AS id_hash, s.user_id AS user_id, u.username AS username, s.csrf AS csrf, "
    "s.expiry_unix AS expiry_unix, s.tfa_user_id AS tfa_user_id, w.username AS tfa_username "
    "FROM login_sessions s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN users w ON w.id = "
    "s.tfa_user_id WHERE s.id_hash = ? AND s.expiry_unix > ?";
constexpr std::string_view insert_session =
    "INSERT INTO login_sessions (id_hash, user_id, csrf, expiry_unix, tfa_user_id) VALUES (?, ?, "
    "?, ?, ?)";
constexpr std::string_view remove_session = "DELETE FROM login_sessions WHERE id_hash = ?";
constexpr std::string_view remove_expired_sessions =
    "DELETE FROM login_sessions WHERE expiry_unix <= ?";
constexpr std::string_view find_failures =
    "SELECT subject, failures, last_unix, locked_until FROM login_failures WHERE subject = ?";
constexpr std::string_view insert_failures =
    "INSERT INTO login_failures (subject, failures, last_unix, locked_until) "
    "VALUES (?, ?, ?, ?)";
constexpr std::string_view update_failures =
    "UPDATE login_failures SET failures = ?, last_unix = ?, locked_until = ? "
    "WHERE subject = ?";
constexpr std::string_view remove_failures = "DELETE FROM login_failures WHERE subject = ?";
// PostgreSQL only (locks_rows): a lock on the subject's name for the rest of the transaction.
constexpr std::string_view lock_subject =
    "SELECT pg_advisory_xact_lock(7317, hashtext(?)) IS NULL AS locked";
}  // namespace statements

namespace {

StoredSession session_from_row(const store::Row& row) {
    return {row.text("id_hash"),
            row.optional_integer("user_id"),
            row.optional_text("username"),
            row.text("csrf"),
            row.integer("expiry_unix"),
            row.optional_integer("tfa_user_id"),
            row.optional_text("tfa_username")};
}

Failures failures_from_row(const store::Row& row) {
    return {row.text("subject"), row.integer("failures"), row.integer("last_unix"),
            row.integer("locked_until")};
}

}  // namespace

std::optional<StoredSession> LoginRepository::find_session(const std::string& id_hash,
                                                           std::int64_t now) {
    auto rows = tx_.query(statements::find_session, {id_hash, now});
    if (rows.empty()) return std::nullopt;
    return session_from_row(rows.front());
}

void LoginRepository::insert_session(const StoredSession& s) {
    store::SqlValue user = std::monostate{};
    if (s.user_id) user = *s.user_id;
    tx_.execute(statements::insert_session,
                {s.id_hash, user, s.csrf, s.expiry_unix, store::or_null(s.tfa_user_id)});
}

void LoginRepository::remove_session(const std::string& id_hash) {
    tx_.execute(statements::remove_session, {id_hash});
}

void LoginRepository::remove_sessions_expired_at(std::int64_t now) {
    tx_.execute(statements::remove_expired_sessions, {now});
}

std::optional<Failures> LoginRepository::find_failures(const std::string& subject) {
    // Writers side by side (PostgreSQL) take turns per subject, also before its first failure
    // has a row to lock: each reads the count the previous one wrote.
    if (tx_.locks_rows()) tx_.query(statements::lock_subject, {subject});
    auto rows = tx_.query(store::locking(tx_, statements::find_failures), {subject});
    if (rows.empty()) return std::nullopt;
    return failures_from_row(rows.front());
}

void LoginRepository::save_failures(const Failures& f) {
    if (tx_.execute(statements::update_failures,
                    {f.failures, f.last_unix, f.locked_until, f.subject}) == 0)
        tx_.execute(statements::insert_failures,
                    {f.subject, f.failures, f.last_unix, f.locked_until});
}

void LoginRepository::remove_failures(const std::string& subject) {
    tx_.execute(statements::remove_failures, {subject});
}

}  // namespace linnet::auth
