// User passwords: argon2id hashes in libsodium's self-describing string form, so the cost
// parameters travel with each hash; only the hash is ever stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/hashers.hpp"
#include "store/database.hpp"

namespace linnet::auth {

// Hashes `password` with argon2id at libsodium's interactive limits; throws on failure, and
// HashersBusy (auth/hashers.hpp) when too many hashes run and wait already.
std::string hash_password(const std::string& password);

// True when `password` matches `hash` (a string from hash_password); false for any bad hash.
// HashersBusy as hash_password.
bool verify_password(const std::string& hash, const std::string& password);
// The same with a place among the hashers taken beforehand (Hashers::admit).
bool verify_password(Hashers::Ticket& ticket, const std::string& hash, const std::string& password);

// A hash of no one's password, made at the same cost as hash_password's, to check a password
// against when the username is unknown, so that the answer takes as long as for a known one. It
// is a constant: computing it on first use would hold every sign-in behind that one hash.
const std::string& decoy_password_hash();
// True when `hash` was made at the cost hash_password uses now.
bool current_cost(const std::string& hash);

// Why `password` is too weak to be a user's password (8-128 characters, two kinds of character,
// five distinct ones); nullopt when it will do.
std::optional<std::string> password_problem(const std::string& password);

// Stores the hash of a user's new password and when it was set.
void set_password(store::Transaction& tx, std::int64_t user_id, const std::string& password);

}  // namespace linnet::auth
