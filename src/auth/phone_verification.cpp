// Sending and checking phone verification codes.
#include "auth/phone_verification.hpp"

#include <sodium.h>

#include "auth/phone_numbers.hpp"
#include "auth/phone_repository.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace linnet::auth::phone {

std::function<void()> send_code(store::Transaction& tx, std::int64_t user_id,
                                const std::string& iso_code, const std::string& number,
                                SmsSender send) {
    std::string problem, field;
    const auto normalized = e164(iso_code, number, problem, field);
    if (!normalized) throw errors::bad_request(problem, field);
    PhoneRepository phones(tx);
    auto p = phones.find(user_id);
    const std::int64_t now = unix_now();
    // The same code again while it is good for the same number (and not void).
    if (!(p.code && p.pending_number == *normalized && p.code_expiry_unix > now &&
          p.attempts < kMaxAttempts)) {
        p.pending_number = *normalized;
        p.code = std::to_string(100000 + randombytes_uniform(900000));
        p.code_expiry_unix = now + kCodeSeconds;
        p.attempts = 0;
    }
    phones.save(p);
    return [send = std::move(send), to = *normalized,
            text = "Your Linnet verification code is " + *p.code + ". It expires in 10 minutes."] {
        // The code stays good: asking again sends the same one.
        if (!send(to, text))
            throw ApiError(
                503, {{"The verification code could not be sent; try again later.", std::nullopt}});
    };
}

bool verify(store::Transaction& tx, std::int64_t user_id, const std::string& code) {
    PhoneRepository phones(tx);
    auto p = phones.find(user_id);
    if (!p.code || !p.pending_number || p.code_expiry_unix <= unix_now() ||
        p.attempts >= kMaxAttempts)
        throw errors::bad_request(
            "No verification code is waiting: request one with POST /profile/phone-number.",
            "otp_code");
    if (code.size() != p.code->size() ||
        sodium_memcmp(code.data(), p.code->data(), code.size()) != 0) {
        ++p.attempts;
        phones.save(p);
        return false;
    }
    p.verified_number = p.pending_number;
    p.pending_number.reset();
    p.code.reset();
    p.code_expiry_unix = 0;
    p.attempts = 0;
    phones.save(p);
    return true;
}

void remove(store::Transaction& tx, std::int64_t user_id) {
    PhoneRepository phones(tx);
    auto p = phones.find(user_id);
    if (!p.verified_number && !p.pending_number)
        throw errors::bad_request("No phone number is on your profile.");
    phones.save(Phone{user_id, std::nullopt, std::nullopt, std::nullopt, 0, 0});
}

}  // namespace linnet::auth::phone
