// Constant rows as a table: a derived table that lists, X-Filter and paging read like any stored
// table. The values are written into the SQL as literals, so they must be the program's own
// constants, never a request's.
#pragma once

#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::store {

// "(SELECT v AS c, ... UNION ALL SELECT ...) AS name"; each row has one value per column.
std::string inline_table(const std::string& name, const std::vector<std::string>& columns,
                         const std::vector<Params>& rows);

}  // namespace linnet::store
