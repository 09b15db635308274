// Slowing down password guessing: failed logins are counted per username and per address; past
// a few free attempts each failure locks the subject out for twice as long as the last one.
#pragma once

#include <string>

#include "store/database.hpp"

namespace linnet::auth {

struct ThrottlePolicy {
    int free_attempts;        // failures before any lockout
    int max_lockout;          // seconds a lockout may last at most
    int forget_after = 3600;  // seconds without a failure after which the count starts again
};

// Per username: a guesser of one account is slowed after 3 failures.
inline const ThrottlePolicy kPerUsername{3, 900};
// Per address: generous, since many people may share one address.
inline const ThrottlePolicy kPerAddress{10, 900};

// Seconds the subject ("user:NAME", "address:IP") must still wait; 0 when it may try now.
int lockout_remaining(store::Transaction& tx, const std::string& subject);

void record_failure(store::Transaction& tx, const std::string& subject,
                    const ThrottlePolicy& policy);

void forget_failures(store::Transaction& tx, const std::string& subject);

// Takes back one recorded failure (a reserved attempt that succeeded); the lockout goes when the
// count falls back within the free attempts.
void withdraw_failure(store::Transaction& tx, const std::string& subject,
                      const ThrottlePolicy& policy);

}  // namespace linnet::auth
