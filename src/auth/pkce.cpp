// PKCE S256: hashing with OpenSSL, base64url and constant-time comparison with libsodium.
// The "plain" method is not offered: it protects nothing that S256 does not.
#include "auth/pkce.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <stdexcept>

namespace linnet::auth {

namespace {
bool unreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}
}  // namespace

bool valid_code_verifier(std::string_view verifier) {
    if (verifier.size() < 43 || verifier.size() > 128) return false;
    for (char c : verifier)
        if (!unreserved(c)) return false;
    return true;
}

bool valid_code_challenge(std::string_view challenge) {
    if (challenge.size() != 43) return false;
    for (char c : challenge)
        if (!unreserved(c) || c == '.' || c == '~') return false;
    return true;
}

std::string s256_challenge(std::string_view verifier) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(verifier.data(), verifier.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_encoded_len(size, variant), '\0');
    sodium_bin2base64(out.data(), out.size(), digest, size, variant);
    out.resize(out.find('\0'));
    return out;
}

bool verifier_matches(std::string_view challenge, std::string_view verifier) {
    if (!valid_code_verifier(verifier)) return false;
    const std::string computed = s256_challenge(verifier);
    return computed.size() == challenge.size() &&
           sodium_memcmp(computed.data(), challenge.data(), computed.size()) == 0;
}

}  // namespace linnet::auth
