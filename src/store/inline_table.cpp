// Derived tables of constant rows.
#include "store/inline_table.hpp"

#include <stdexcept>

namespace linnet::store {

namespace {

std::string literal(const SqlValue& value) {
    if (std::holds_alternative<std::monostate>(value)) return "NULL";
    if (const auto* n = std::get_if<std::int64_t>(&value)) return std::to_string(*n);
    if (const auto* d = std::get_if<double>(&value)) return std::to_string(*d);
    std::string out = "'";
    for (char c : std::get<std::string>(value)) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

}  // namespace

std::string inline_table(const std::string& name, const std::vector<std::string>& columns,
                         const std::vector<Params>& rows) {
    std::string sql = "(";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].size() != columns.size())
            throw std::logic_error("inline_table " + name + ": a row has the wrong width");
        if (i) sql += " UNION ALL ";
        sql += "SELECT ";
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (c) sql += ", ";
            sql += literal(rows[i][c]) + " AS " + columns[c];
        }
    }
    return sql + ") AS " + name;
}

}  // namespace linnet::store
