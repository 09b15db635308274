// An INSERT's row of VALUES found by its parentheses (a quoted literal in it may hold any).
#include "store/values_rows.hpp"

#include <stdexcept>

namespace linnet::store {

namespace {

// Where the row that begins at `open` (its opening parenthesis) ends, just past its closing one.
std::size_t end_of_row(std::string_view sql, std::size_t open) {
    int depth = 0;
    bool quoted = false;
    for (std::size_t i = open; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quoted) {
            quoted = c != '\'';  // a doubled quote closes and opens again
        } else if (c == '\'') {
            quoted = true;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && --depth == 0) {
            return i + 1;
        }
    }
    throw std::logic_error("an INSERT whose row of VALUES does not end: " + std::string(sql));
}

}  // namespace

std::string with_rows(std::string_view insert, std::size_t rows) {
    const auto values = insert.find("VALUES (");
    if (values == std::string_view::npos || rows == 0)
        throw std::logic_error("no row of VALUES to repeat in " + std::string(insert));
    const auto open = values + 7;
    const auto close = end_of_row(insert, open);
    const std::string_view row = insert.substr(open, close - open);
    std::string out(insert.substr(0, close));
    for (std::size_t i = 1; i < rows; ++i) {
        out += ", ";
        out += row;
    }
    out += insert.substr(close);
    return out;
}

}  // namespace linnet::store
