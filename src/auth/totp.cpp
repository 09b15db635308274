// TOTP codes.
#include "auth/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cctype>
#include <stdexcept>

namespace linnet::auth::totp {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string percent_encoded(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

std::string new_secret() {
    unsigned char bytes[20];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
    return base32_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string base32_encode(std::string_view bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out += kAlphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
    return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == ' ' || c == '=') continue;
        const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        const auto at = kAlphabet.find(upper);
        if (at == std::string_view::npos) return std::nullopt;
        buffer = (buffer << 5) | static_cast<std::uint32_t>(at);
        bits += 5;
        if (bits >= 8) {
            out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return out;
}

std::int64_t step_of(std::int64_t unix_seconds) {
    return unix_seconds / kStepSeconds;
}

std::string code_at(const std::string& secret, std::int64_t step) {
    const auto key = base32_decode(secret);
    if (!key) throw std::invalid_argument("a TOTP secret is base32");
    unsigned char counter[8];
    for (int i = 7; i >= 0; --i) {
        counter[i] = static_cast<unsigned char>(step & 0xff);
        step >>= 8;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha1(), key->data(), static_cast<int>(key->size()), counter, sizeof counter,
              digest, &length) ||
        length < 20)
        throw std::runtime_error("HMAC-SHA1 failed");
    const int offset = digest[length - 1] & 0x0f;
    const std::uint32_t binary = (static_cast<std::uint32_t>(digest[offset] & 0x7f) << 24) |
                                 (static_cast<std::uint32_t>(digest[offset + 1]) << 16) |
                                 (static_cast<std::uint32_t>(digest[offset + 2]) << 8) |
                                 static_cast<std::uint32_t>(digest[offset + 3]);
    std::string code = std::to_string(binary % 1000000);
    return std::string(6 - code.size(), '0') + code;
}

std::optional<std::int64_t> match(const std::string& secret, std::string_view code,
                                  std::int64_t now_step, std::int64_t last_step) {
    if (code.size() != 6) return std::nullopt;
    for (char c : code)
        if (c < '0' || c > '9') return std::nullopt;
    for (std::int64_t step = now_step - 1; step <= now_step + 1; ++step)
        if (step > last_step && code_at(secret, step) == code) return step;
    return std::nullopt;
}

std::string uri(const std::string& secret, const std::string& issuer, const std::string& account) {
    return "otpauth://totp/" + percent_encoded(issuer) + ":" + percent_encoded(account) +
           "?secret=" + secret + "&issuer=" + percent_encoded(issuer) +
           "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace linnet::auth::totp
