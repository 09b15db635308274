// Failed-login counts in the store, so that a lockout holds across restarts and across every
// API process of a scaled-out installation.
#include "auth/login_throttle.hpp"

#include <algorithm>

#include "auth/login_repository.hpp"
#include "core/time.hpp"

namespace linnet::auth {

int lockout_remaining(store::Transaction& tx, const std::string& subject) {
    auto found = LoginRepository(tx).find_failures(subject);
    if (!found) return 0;
    const std::int64_t left = found->locked_until - unix_now();
    return left > 0 ? static_cast<int>(left) : 0;
}

void record_failure(store::Transaction& tx, const std::string& subject,
                    const ThrottlePolicy& policy) {
    const std::int64_t now = unix_now();
    std::int64_t failures = 0;
    LoginRepository repository(tx);
    auto found = repository.find_failures(subject);
    if (found && found->last_unix + policy.forget_after > now) failures = found->failures;
    ++failures;
    std::int64_t locked_until = 0;
    if (failures > policy.free_attempts) {
        const std::int64_t doublings = std::min<std::int64_t>(failures - policy.free_attempts, 20);
        locked_until =
            now + std::min<std::int64_t>(std::int64_t{1} << doublings, policy.max_lockout);
    }
    repository.save_failures({subject, failures, now, locked_until});
}

void forget_failures(store::Transaction& tx, const std::string& subject) {
    LoginRepository(tx).remove_failures(subject);
}

void withdraw_failure(store::Transaction& tx, const std::string& subject,
                      const ThrottlePolicy& policy) {
    LoginRepository repository(tx);
    auto found = repository.find_failures(subject);
    if (!found) return;
    if (found->failures <= 1) {
        repository.remove_failures(subject);
        return;
    }
    auto failures = *found;
    --failures.failures;
    if (failures.failures <= policy.free_attempts) failures.locked_until = 0;
    repository.save_failures(failures);
}

}  // namespace linnet::auth
