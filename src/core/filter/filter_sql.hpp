// Compiles a parsed X-Filter into a WHERE clause and ORDER BY with positional parameters.
// Only column names declared by the resource's schema reach the SQL text; every value the
// request carries is a bound parameter. The SQL is portable between SQLite and PostgreSQL.
#pragma once

#include <string>

#include "core/filter/filter.hpp"
#include "store/database.hpp"

namespace linnet::filter {

struct Sql {
    std::string where;     // "1=1" when the filter has no conditions
    std::string order_by;  // without the ORDER BY keyword
    store::Params params;
};

Sql compile(const Query& query, const Schema& schema);

// Storage form of a text_list column: each element framed by \x1f, so that "has element X" is
// a LIKE on the framed element.
std::string encode_text_list(const std::vector<std::string>& items);
std::vector<std::string> decode_text_list(const std::string& encoded);

}  // namespace linnet::filter
