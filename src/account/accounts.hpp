// Accounts (tenants): creating one with its documents, and naming one on the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace linnet::account {

// A new account with the API's default documents (a child account of `parent` when given);
// answers its id.
std::int64_t create_account(store::Transaction& tx, const std::string& email,
                            std::optional<std::int64_t> parent = std::nullopt);

// Adds the child account's proxy user, through which its parent's users act in it (after its
// first user); answers the proxy user's id.
std::int64_t add_proxy_user(store::Transaction& tx, std::int64_t child);

// The proxy user's name in a child account: the parent's company (or, without one, its first
// user's name) cut to 15 characters, and 16 hex digits of the SHA-256 of that and the child's
// euuid.
std::string proxy_username(const std::string& company, const std::string& euuid);

// The first account, created (with `email`) when there is none yet.
std::int64_t first_or_create(store::Transaction& tx, const std::string& email);

// The account an --account option names: its id, or the username of one of its users.
std::optional<std::int64_t> resolve(store::Transaction& tx, const std::string& id_or_username);

// Whether the transaction's account enrolls new Linodes in backups (its settings'
// backups_enabled).
bool backups_by_default(store::Transaction& tx);

}  // namespace linnet::account
