// Personal access tokens and OAuth access tokens: generated at random, shown once, stored only
// as a SHA-256 hash, looked up by that hash on every request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/scope.hpp"
#include "store/database.hpp"

namespace linnet::auth {

std::string random_hex(std::size_t bytes);
std::string sha256_hex(std::string_view text);
// Bytes as lower-case hexadecimal.
std::string to_hex(const unsigned char* data, std::size_t size);

struct NewToken {
    std::int64_t id;
    std::string token;  // the full secret, only ever returned here
    std::string doc;    // the token object, with the full secret in "token"
};

struct TokenSpec {
    std::int64_t user_id;
    std::string label;
    ScopeSet scopes;
    std::optional<std::int64_t> expiry_unix;
    std::string kind = "personal_access_token";
};

NewToken create_token(store::Transaction& tx, const TokenSpec& spec);

}  // namespace linnet::auth
