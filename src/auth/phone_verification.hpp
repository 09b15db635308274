// A user's phone number, verified by a code sent to it: the code goes by SMS through the
// operator's command (--sms-command), is good for ten minutes, is sent again unchanged when
// asked again within them, and is void after five wrong tries. The number stays the verified
// one until it is deleted or another is verified.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "store/database.hpp"

namespace linnet::auth::phone {

inline constexpr std::int64_t kCodeSeconds = 600;
inline constexpr std::int64_t kMaxAttempts = 5;

// Sends `text` to `number` (E.164); false when it could not.
using SmsSender = std::function<bool(const std::string& number, const std::string& text)>;

// Stores a code for the number and answers what sends it, to be run once the transaction is
// committed (a message is sent outside any transaction: the sender may take seconds); that
// throws 503 when the code could not be sent. 400 naming iso_code or phone_number when the
// number is not one.
std::function<void()> send_code(store::Transaction& tx, std::int64_t user_id,
                                const std::string& iso_code, const std::string& number,
                                SmsSender send);
// True when `code` is the one sent (the number is then verified); false on a wrong code, which
// is counted (the caller answers 400 and commits). 400 (otp_code) when no code waits.
bool verify(store::Transaction& tx, std::int64_t user_id, const std::string& code);
// Forgets the user's number; 400 when there is none.
void remove(store::Transaction& tx, std::int64_t user_id);

}  // namespace linnet::auth::phone
