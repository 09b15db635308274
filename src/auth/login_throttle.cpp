// Failed-login counts in the store, so that a lockout holds across restarts and across every
// API process of a scaled-out installation.
#include "auth/login_throttle.hpp"

#include <algorithm>

#include "core/time.hpp"

namespace linnet::auth {

int lockout_remaining(store::Transaction& tx, const std::string& subject) {
    auto rows = tx.query("SELECT locked_until FROM login_failures WHERE subject = ?", {subject});
    if (rows.empty()) return 0;
    const std::int64_t left = rows.front().integer(0) - unix_now();
    return left > 0 ? static_cast<int>(left) : 0;
}

void record_failure(store::Transaction& tx, const std::string& subject,
                    const ThrottlePolicy& policy) {
    const std::int64_t now = unix_now();
    std::int64_t failures = 0;
    auto rows =
        tx.query("SELECT failures, last_unix FROM login_failures WHERE subject = ?", {subject});
    if (!rows.empty() && rows.front().integer(1) + policy.forget_after > now)
        failures = rows.front().integer(0);
    ++failures;
    std::int64_t locked_until = 0;
    if (failures > policy.free_attempts) {
        const std::int64_t doublings = std::min<std::int64_t>(failures - policy.free_attempts, 20);
        locked_until =
            now + std::min<std::int64_t>(std::int64_t{1} << doublings, policy.max_lockout);
    }
    if (rows.empty())
        tx.execute(
            "INSERT INTO login_failures (subject, failures, last_unix, locked_until) "
            "VALUES (?, ?, ?, ?)",
            {subject, failures, now, locked_until});
    else
        tx.execute(
            "UPDATE login_failures SET failures = ?, last_unix = ?, locked_until = ? "
            "WHERE subject = ?",
            {failures, now, locked_until, subject});
}

void forget_failures(store::Transaction& tx, const std::string& subject) {
    tx.execute("DELETE FROM login_failures WHERE subject = ?", {subject});
}

}  // namespace linnet::auth
