// Token generation, hashing and storage.
#include "auth/token.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <boost/json.hpp>

#include <stdexcept>
#include "core/json.hpp"

#include "auth/token_repository.hpp"
#include "core/time.hpp"

namespace linnet::auth {

std::string to_hex(const unsigned char* data, std::size_t size) {
    static const char* digits = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 0xf];
    }
    return out;
}

std::string random_hex(std::size_t bytes) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

std::string sha256_hex(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    return to_hex(digest, size);
}

NewToken create_token(store::Transaction& tx, const TokenSpec& spec) {
    const std::string secret = random_hex(32);
    const std::string created = now_utc();
    NewTokenRow row{spec.user_id,      spec.kind,          spec.label,
                    spec.scopes.str(), sha256_hex(secret), secret.substr(0, 16),
                    created,           std::nullopt,       std::nullopt};
    if (spec.expiry_unix) {
        row.expiry = format_time(*spec.expiry_unix);
        row.expiry_unix = *spec.expiry_unix;
    }
    TokenRepository tokens(tx);
    const std::int64_t id = tokens.insert(row);

    boost::json::object doc{
        {"id", id},           {"label", spec.label}, {"scopes", spec.scopes.str()},
        {"created", created}, {"expiry", nullptr},   {"token", secret.substr(0, 16)}};
    if (spec.expiry_unix) doc["expiry"] = format_time(*spec.expiry_unix);
    tokens.set_doc(id, to_json(doc));
    doc["token"] = secret;
    return {id, secret, to_json(doc)};
}

}  // namespace linnet::auth
