// The schema's foreign keys as a graph, and a delete per table in an order they allow.
#include "store/erase.hpp"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace linnet::store {

namespace {

struct ForeignKey {
    std::string table;
    std::string column;
    std::string parent;
    std::string parent_column;
};

constexpr std::string_view sqlite_keys =
    "SELECT m.name AS tab, f.\"table\" AS parent, f.\"from\" AS col, COALESCE(f.\"to\", 'id') AS "
    "ref FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY "
    "m.name, f.id";
constexpr std::string_view sqlite_owners =
    "SELECT m.name AS tab FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = "
    "'table' AND c.name = 'account_id' ORDER BY m.name";
constexpr std::string_view postgresql_keys =
    "SELECT k.table_name AS tab, c.table_name AS parent, k.column_name AS col, c.column_name AS "
    "ref FROM information_schema.table_constraints t JOIN information_schema.key_column_usage k "
    "ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema JOIN "
    "information_schema.constraint_column_usage c ON c.constraint_name = t.constraint_name AND "
    "c.table_schema = t.table_schema WHERE t.constraint_type = 'FOREIGN KEY' AND t.table_schema "
    "= current_schema() ORDER BY k.table_name, k.column_name";
constexpr std::string_view postgresql_owners =
    "SELECT table_name AS tab FROM information_schema.columns WHERE column_name = 'account_id' "
    "AND table_schema = current_schema() ORDER BY table_name";

struct Condition {
    std::string sql;  // empty: no row of the table is the account's
    Params params;
};

}  // namespace

std::int64_t erase_account(Transaction& tx, std::int64_t account_id) {
    const bool pg = tx.dialect() == Dialect::postgresql;
    std::vector<ForeignKey> keys;
    for (const auto& r : tx.query(pg ? postgresql_keys : sqlite_keys))
        keys.push_back({r.text("tab"), r.text("col"), r.text("parent"), r.text("ref")});
    std::set<std::string> owners;
    for (const auto& r : tx.query(pg ? postgresql_owners : sqlite_owners))
        owners.insert(r.text("tab"));

    // Which rows of a table are the account's: its own account_id, or a key to such a row.
    std::map<std::string, Condition> known;
    std::set<std::string> visiting;
    std::function<const Condition&(const std::string&)> owned =
        [&](const std::string& table) -> const Condition& {
        if (auto it = known.find(table); it != known.end()) return it->second;
        Condition c;
        if (table == "accounts") {
            c = {"id = ?", {account_id}};
        } else if (visiting.insert(table).second) {
            std::vector<std::string> parts;
            if (owners.count(table) != 0) {
                parts.push_back("account_id = ?");
                c.params.push_back(account_id);
            }
            for (const auto& k : keys) {
                if (k.table != table || k.parent == "accounts") continue;
                const Condition& parent = owned(k.parent);
                if (parent.sql.empty()) continue;
                parts.push_back(k.column + " IN (SELECT " + k.parent_column + " FROM " + k.parent +
                                " WHERE " + parent.sql + ")");
                c.params.insert(c.params.end(), parent.params.begin(), parent.params.end());
            }
            for (std::size_t i = 0; i < parts.size(); ++i)
                c.sql += (i == 0 ? "(" : " OR ") + parts[i] + (i + 1 == parts.size() ? ")" : "");
            visiting.erase(table);
        }
        return known.emplace(table, std::move(c)).first->second;
    };

    // Every table that holds rows of the account, and which of them refer to which.
    std::set<std::string> tables{"accounts"};
    for (const auto& t : owners) tables.insert(t);
    for (const auto& k : keys) tables.insert(k.table);
    std::set<std::string> pending;
    for (const auto& t : tables)
        if (!owned(t).sql.empty()) pending.insert(t);

    std::int64_t erased = 0;
    // A column that names the account without making the row its own lets go of it first.
    for (const auto& k : keys)
        if (k.parent == "accounts" && k.column != "account_id")
            erased += tx.execute(
                "UPDATE " + k.table + " SET " + k.column + " = NULL WHERE " + k.column + " = ?",
                {account_id});
    while (!pending.empty()) {
        // A table goes once no table still to go refers to it.
        std::string next;
        for (const auto& t : pending) {
            bool referred = false;
            for (const auto& k : keys)
                referred = referred || (k.parent == t && k.table != t && pending.count(k.table));
            if (!referred) {
                next = t;
                break;
            }
        }
        if (next.empty()) next = *pending.begin();  // a cycle: its keys decide
        const Condition& c = owned(next);
        erased += tx.execute("DELETE FROM " + next + " WHERE " + c.sql, c.params);
        pending.erase(next);
    }
    return erased;
}

}  // namespace linnet::store
