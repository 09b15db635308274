// Statements narrowed to the transaction's account. A statement names where the narrowing goes
// with `{{account}}` (the column account_id) or `{{account:COLUMN}}`: in an account's scope it
// becomes `COLUMN = ?` with the account's id bound in its place among the parameters; in the
// system scope, `1=1`.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "store/database.hpp"

namespace linnet::store {

Rows scoped_query(Transaction& tx, std::string_view sql, Params params = {});
std::int64_t scoped_execute(Transaction& tx, std::string_view sql, Params params = {});
// Transaction::write narrowed the same way.
void scoped_write(Transaction& tx, std::string_view sql, Params params = {});
// Transaction::read_ahead narrowed the same way.
void scoped_read_ahead(Transaction& tx, std::string_view sql, Params params = {});

// The statement and parameters as they run in `scope` (exposed for lists and tests).
std::pair<std::string, Params> narrow(const Scope& scope, std::string_view sql, Params params);

}  // namespace linnet::store
