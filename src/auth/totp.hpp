// Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second steps, six
// digits, the secret shown to authenticator apps in base32 (RFC 4648, no padding).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace linnet::auth::totp {

inline constexpr std::int64_t kStepSeconds = 30;

// A new secret of 20 random bytes, in base32 (32 characters).
std::string new_secret();

std::string base32_encode(std::string_view bytes);
// Nothing when `text` is not base32 (upper or lower case; spaces and '=' ignored).
std::optional<std::string> base32_decode(std::string_view text);

// The step of a Unix time.
std::int64_t step_of(std::int64_t unix_seconds);
// The six-digit code of the secret (base32) at a step.
std::string code_at(const std::string& secret, std::int64_t step);

// The step whose code `code` is, within one step of `now_step` either way and after
// `last_step` (a code is good once); nothing when it is no such code.
std::optional<std::int64_t> match(const std::string& secret, std::string_view code,
                                  std::int64_t now_step, std::int64_t last_step);

// The otpauth:// URI an authenticator app reads (from a QR code or by hand).
std::string uri(const std::string& secret, const std::string& issuer, const std::string& account);

}  // namespace linnet::auth::totp
