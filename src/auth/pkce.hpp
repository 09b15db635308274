// PKCE (RFC 7636) with the S256 method: the app sends SHA-256 of a secret verifier when it asks
// for a code, and the verifier itself when it redeems the code, so a stolen code is worthless.
#pragma once

#include <string>
#include <string_view>

namespace linnet::auth {

// 43 to 128 characters of [A-Za-z0-9-._~].
bool valid_code_verifier(std::string_view verifier);
// An S256 challenge: base64url without padding of a SHA-256 digest, 43 characters.
bool valid_code_challenge(std::string_view challenge);
// BASE64URL(SHA256(verifier)) without padding.
std::string s256_challenge(std::string_view verifier);
// True when the verifier hashes to the challenge (compared in constant time).
bool verifier_matches(std::string_view challenge, std::string_view verifier);

}  // namespace linnet::auth
