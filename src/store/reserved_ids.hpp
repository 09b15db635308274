// Ids of a table's key set aside ahead of its inserts, where that saves round trips: on
// PostgreSQL the key's sequence is read with the transaction's next round trip, and the insert
// that takes the id is a write that needs no answer; on SQLite nothing is set aside, and the
// insert answers its id.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "store/database.hpp"

namespace linnet::store {

// Announces `count` ids of `table` (a table whose key is its serial `id`).
void reserve_ids(Transaction& tx, std::string_view table, int count = 1);
// One id that reserve_ids() set aside for `table`, once; none when none was (then the insert
// answers it).
std::optional<std::int64_t> reserved_id(Transaction& tx, std::string_view table);

}  // namespace linnet::store
