// Ids set aside from a table key's sequence (PostgreSQL), read ahead and kept through writes.
#include "store/reserved_ids.hpp"

#include <string>

namespace linnet::store {

namespace {

std::string next_of(std::string_view table) {
    return "SELECT nextval(pg_get_serial_sequence('" + std::string(table) + "', 'id')) AS id";
}

}  // namespace

void reserve_ids(Transaction& tx, std::string_view table, int count) {
    if (tx.dialect() != Dialect::postgresql) return;
    const std::string sql = next_of(table);
    for (int i = 0; i < count; ++i) tx.read_ahead_kept(sql);
}

std::optional<std::int64_t> reserved_id(Transaction& tx, std::string_view table) {
    if (tx.dialect() != Dialect::postgresql) return std::nullopt;
    auto rows = tx.take_ahead(next_of(table));
    if (!rows || rows->empty()) return std::nullopt;
    return rows->front().integer("id");
}

}  // namespace linnet::store
