// One INSERT statement for many rows: the statement's row of VALUES repeated.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace linnet::store {

// `insert`, an INSERT with one parenthesised row of VALUES, written with `rows` such rows; what
// follows the row (ON CONFLICT, RETURNING) is kept after the last. Parameters are bound row by
// row, in the order of each row's placeholders. std::logic_error when `insert` has no row of
// VALUES or `rows` is 0.
std::string with_rows(std::string_view insert, std::size_t rows);

}  // namespace linnet::store
