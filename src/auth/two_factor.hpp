// The rules of two-factor sign-in: a user turns it on with a TOTP secret confirmed by a code from
// their app (and gets one scratch code for the day the app is lost), and off again; a sign-in of
// such a user takes a code after the password, unless the browser is one the user chose to
// trust (for 30 days, or until the device is deleted). A code is good once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace linnet::auth::two_factor {

// How long a secret waits for its confirmation, and a device stays trusted.
inline constexpr std::int64_t kPendingSeconds = 3600;
inline constexpr std::int64_t kTrustSeconds = 30 * 24 * 3600;

struct Enrolment {
    std::string secret;  // base32
    std::string expiry;  // when it can no longer be confirmed
};

// A new secret for the user to confirm; 400 while two-factor sign-in is on.
Enrolment begin(store::Transaction& tx, std::int64_t user_id);
// Turns two-factor sign-in on when `code` is the pending secret's; answers the scratch code.
// 400 (field tfa_code) on a wrong code, 400 when no secret waits.
std::string confirm(store::Transaction& tx, std::int64_t user_id, const std::string& code);
// Turns it off and forgets the user's trusted devices; 400 when it was not on.
void disable(store::Transaction& tx, std::int64_t user_id);
bool enabled(store::Transaction& tx, std::int64_t user_id);

// Takes a sign-in code: the app's code of now (a step either way), or the scratch code, which
// then is spent. False when it is neither.
bool take_code(store::Transaction& tx, std::int64_t user_id, const std::string& code);

// Trusts the browser: answers the token its cookie keeps.
std::string trust_device(store::Transaction& tx, std::int64_t user_id,
                         const std::string& user_agent, const std::string& address);
// Whether the cookie's token is a device the user trusts now (its last use is then recorded).
bool trusted(store::Transaction& tx, std::int64_t user_id, const std::string& token,
             const std::string& address);

}  // namespace linnet::auth::two_factor
