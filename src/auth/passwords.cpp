// User passwords: argon2id via libsodium's crypto_pwhash_str at the interactive limits, and
// verification via crypto_pwhash_str_verify.
#include "auth/passwords.hpp"

#include <sodium.h>

#include <cctype>
#include <set>
#include <stdexcept>

#include "auth/hashers.hpp"
#include "auth/user_repository.hpp"
#include "core/time.hpp"

namespace linnet::auth {

namespace {

void ensure_sodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

std::string hash_password(const std::string& password) {
    ensure_sodium();
    return hashers().run([&] {
        char out[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str_alg(
                out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
            throw std::runtime_error("out of memory while hashing a password");
        return std::string(out);
    });
}

bool verify_password(const std::string& hash, const std::string& password) {
    Hashers::Ticket ticket(hashers());
    return verify_password(ticket, hash, password);
}

bool verify_password(Hashers::Ticket& ticket, const std::string& hash,
                     const std::string& password) {
    ensure_sodium();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    return ticket.run([&] {
        return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    });
}

std::optional<std::string> password_problem(const std::string& password) {
    if (password.size() < 8 || password.size() > 128)
        return "The password must be 8-128 characters long";
    bool lower = false, upper = false, digit = false, other = false;
    std::set<char> distinct(password.begin(), password.end());
    for (char c : password) {
        const auto u = static_cast<unsigned char>(c);
        if (std::iscntrl(u)) return "The password must not hold control characters";
        lower = lower || std::islower(u);
        upper = upper || std::isupper(u);
        digit = digit || std::isdigit(u);
        other = other || !std::isalnum(u);
    }
    if (lower + upper + digit + other < 2 || distinct.size() < 5)
        return "The password is too weak: mix letters, digits or symbols";
    return std::nullopt;
}

const std::string& decoy_password_hash() {
    static const std::string hash =
        "$argon2id$v=19$m=65536,t=2,p=1$b+dfeOULWL//bZWxBfHiuQ$"
        "Q3E5O9wPEqphqgW/2YhTAt2deS+0MAG8p8iKy6JLsmA";
    return hash;
}

bool current_cost(const std::string& hash) {
    return crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

void set_password(store::Transaction& tx, std::int64_t user_id, const std::string& password) {
    UserRepository(tx).set_password(user_id, hash_password(password), now_utc());
}

}  // namespace linnet::auth
