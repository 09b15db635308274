// Paginated, filtered lists over stored or rendered documents.
#include "store/listing.hpp"

#include <unordered_map>

#include "core/filter/filter_sql.hpp"
#include "store/scoped.hpp"

namespace linnet::store {

namespace {

// How many rows match: from the repository's counts where it keeps one for the query, else
// counted from the matching rows (or their index entries).
std::int64_t matching(Transaction& tx, const Listing& listing, const filter::Query& query,
                      const std::string& where, const Params& params) {
    if (listing.counted)
        if (auto n = listing.counted(tx, query)) return *n;
    return scoped_query(tx, "SELECT COUNT(*) AS n FROM " + listing.table + where, params)
        .at(0)
        .integer("n");
}

// The page's ids come from the narrow table, then only their documents are read. The ids are
// read with LIMIT in the query's order: where an index serves the order the read stops after
// the page, and otherwise the engine keeps only the page's worth of the sort.
DocumentPage page_of_documents(Transaction& tx, const Listing& listing, const std::string& where,
                               const std::string& order_by, Params params, const Page& page,
                               std::int64_t results) {
    DocumentPage out;
    out.results = results;
    if (page.offset() >= out.results) return out;
    params.emplace_back(page.page_size);
    params.emplace_back(page.offset());
    const Rows ids = scoped_query(
        tx,
        "SELECT id FROM " + listing.table + where + " ORDER BY " + order_by + " LIMIT ? OFFSET ?",
        params);
    std::vector<std::int64_t> page_ids;
    for (const auto& row : ids) page_ids.push_back(row.integer("id"));
    if (page_ids.empty()) return out;
    Params keys;
    const std::string marks = placeholders(page_ids, keys);
    std::unordered_map<std::int64_t, std::string> by_id;
    for (auto& row :
         scoped_query(tx,
                      "SELECT " + listing.columns + ", " + listing.docs_key + " AS list_key FROM " +
                          listing.docs_table + " WHERE " + listing.docs_key + " IN (" + marks + ")",
                      keys))
        by_id.emplace(row.integer("list_key"), listing.document(row));
    out.docs.reserve(page_ids.size());
    for (const auto id : page_ids) {
        auto it = by_id.find(id);
        if (it != by_id.end()) out.docs.push_back(std::move(it->second));
    }
    return out;
}

// The documents of rows whose lists live in another table (Listing::members).
std::vector<std::string> with_members(Transaction& tx, const Listing& listing, const Rows& rows) {
    std::vector<std::string> out;
    out.reserve(rows.size());
    if (rows.empty()) return out;
    const auto& m = *listing.members;
    std::vector<std::int64_t> row_ids;
    for (const auto& row : rows) row_ids.push_back(row.integer("id"));
    Params keys;
    const std::string marks = placeholders(row_ids, keys);
    std::unordered_map<std::int64_t, std::vector<std::string>> of;
    for (const auto& row :
         tx.query("SELECT " + m.key + " AS member_of, " + m.value + " AS member FROM " + m.table +
                      " WHERE " + m.key + " IN (" + marks + ") ORDER BY " + m.key + ", " + m.order,
                  keys))
        of[row.integer("member_of")].push_back(row.text("member"));
    static const std::vector<std::string> none;
    for (const auto& row : rows) {
        const auto it = of.find(row.integer("id"));
        out.push_back(listing.render_with_members(row, it == of.end() ? none : it->second));
    }
    return out;
}

std::vector<std::string> documents(Transaction& tx, const Listing& listing, const Rows& rows) {
    std::vector<std::string> out;
    if (listing.members) {
        out = with_members(tx, listing, rows);
    } else {
        out.reserve(rows.size());
        for (const auto& row : rows) out.push_back(listing.document(row));
    }
    if (listing.complete && !rows.empty()) listing.complete(tx, rows, out);
    return out;
}

}  // namespace

DocumentPage read_page(Transaction& tx, const Listing& listing, const filter::Query& query,
                       const Page& page) {
    filter::Sql sql = filter::compile(query, listing.schema);
    const std::string where = " WHERE (" + listing.visible + ") AND " + sql.where;
    Params params = listing.visible_params;
    params.insert(params.end(), sql.params.begin(), sql.params.end());

    const std::int64_t results = matching(tx, listing, query, where, params);
    if (!listing.docs_table.empty())
        return page_of_documents(tx, listing, where, sql.order_by, params, page, results);

    DocumentPage out;
    out.results = results;
    if (page.offset() < out.results) {
        params.emplace_back(page.page_size);
        params.emplace_back(page.offset());
        auto rows = scoped_query(tx,
                                 "SELECT " + listing.columns + " FROM " + listing.table + where +
                                     " ORDER BY " + sql.order_by + " LIMIT ? OFFSET ?",
                                 params);
        out.docs = documents(tx, listing, rows);
    }
    return out;
}

std::optional<std::string> read_one(Transaction& tx, const Listing& listing,
                                    const std::string& key_column, const SqlValue& key) {
    Params params{key};
    params.insert(params.end(), listing.visible_params.begin(), listing.visible_params.end());
    const std::string match = "SELECT id FROM " + listing.table + " WHERE " + key_column +
                              " = ? AND (" + listing.visible + ")";
    auto rows =
        listing.docs_table.empty()
            ? scoped_query(tx,
                           "SELECT " + listing.columns + " FROM " + listing.table + " WHERE " +
                               key_column + " = ? AND (" + listing.visible + ")",
                           params)
            : scoped_query(tx,
                           "SELECT " + listing.columns + " FROM " + listing.docs_table + " WHERE " +
                               listing.docs_key + " IN (" + match + ")",
                           params);
    if (rows.empty()) return std::nullopt;
    rows.erase(rows.begin() + 1, rows.end());
    return documents(tx, listing, rows).front();
}

}  // namespace linnet::store
