// Accounts (tenants): creating one with its documents, and naming one on the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace linnet::account {

// A new account with the API's default documents; answers its id.
std::int64_t create_account(store::Transaction& tx, const std::string& email);

// The first account, created (with `email`) when there is none yet.
std::int64_t first_or_create(store::Transaction& tx, const std::string& email);

// The account an --account option names: its id, or the username of one of its users.
std::optional<std::int64_t> resolve(store::Transaction& tx, const std::string& id_or_username);

// Whether the transaction's account enrolls new Linodes in backups (its settings'
// backups_enabled).
bool backups_by_default(store::Transaction& tx);

}  // namespace linnet::account
