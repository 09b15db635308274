// Expanding {{account}} markers.
#include "store/scoped.hpp"

namespace linnet::store {

std::int64_t Scope::account_id() const {
    if (system_) throw StoreError("a write in the system scope must name its account");
    return account_;
}

std::pair<std::string, Params> narrow(const Scope& scope, std::string_view sql, Params params) {
    std::string out;
    out.reserve(sql.size() + 16);
    std::size_t bound = 0;  // placeholders seen so far
    std::size_t pos = 0;
    int inserted = 0;
    while (pos < sql.size()) {
        const auto marker = sql.find("{{account", pos);
        const auto chunk =
            sql.substr(pos, marker == std::string_view::npos ? sql.npos : marker - pos);
        for (char c : chunk)
            if (c == '?') ++bound;
        out += chunk;
        if (marker == std::string_view::npos) break;
        const auto end = sql.find("}}", marker);
        if (end == std::string_view::npos) throw StoreError("unterminated {{account}} marker");
        std::string column = "account_id";
        if (sql[marker + 9] == ':')
            column = std::string(sql.substr(marker + 10, end - marker - 10));
        if (scope.is_system()) {
            out += "1=1";
        } else {
            out += column + " = ?";
            params.insert(params.begin() + static_cast<std::ptrdiff_t>(bound + inserted),
                          scope.account_id());
            ++inserted;
        }
        pos = end + 2;
    }
    return {std::move(out), std::move(params)};
}

Rows scoped_query(Transaction& tx, std::string_view sql, Params params) {
    if (sql.find("{{account") == std::string_view::npos) return tx.query(sql, params);
    auto [text, bound] = narrow(tx.scope(), sql, std::move(params));
    return tx.query(text, bound);
}

std::int64_t scoped_execute(Transaction& tx, std::string_view sql, Params params) {
    if (sql.find("{{account") == std::string_view::npos) return tx.execute(sql, params);
    auto [text, bound] = narrow(tx.scope(), sql, std::move(params));
    return tx.execute(text, bound);
}

void scoped_write(Transaction& tx, std::string_view sql, Params params) {
    if (sql.find("{{account") == std::string_view::npos) return tx.write(sql, params);
    auto [text, bound] = narrow(tx.scope(), sql, std::move(params));
    tx.write(text, bound);
}

void scoped_read_ahead(Transaction& tx, std::string_view sql, Params params) {
    if (sql.find("{{account") == std::string_view::npos) return tx.read_ahead(sql, params);
    auto [text, bound] = narrow(tx.scope(), sql, std::move(params));
    tx.read_ahead(text, bound);
}

}  // namespace linnet::store
