// An account's rows, all of them: what a cancelled account leaves once its Linodes and volumes
// are gone. The rows of an account are those of its tables with its `account_id`, and every row
// that refers to one of them by a foreign key, however far down; they are found from the schema
// itself (so a new family's tables are covered when their keys say whose they are) and deleted
// referring rows first. Columns of other tables that refer to the account without owning their
// rows (an entity transfer another account received from it) are set to NULL.
#pragma once

#include <cstdint>

#include "store/database.hpp"

namespace linnet::store {

// Deletes the account and everything of it; answers how many rows went.
std::int64_t erase_account(Transaction& tx, std::int64_t account_id);

}  // namespace linnet::store
