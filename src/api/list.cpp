// Paginated, filtered lists over stored JSON documents.
#include "api/list.hpp"

#include <charconv>
#include <unordered_map>

#include "core/error.hpp"
#include "core/filter/filter_sql.hpp"
#include "core/pagination.hpp"

namespace linnet::api {

ListSpec rendered(ListSpec spec, std::string columns,
                  std::function<std::string(const store::Row&)> render) {
    spec.columns = std::move(columns);
    spec.render = std::move(render);
    return spec;
}

namespace {

// The page's ids in order from the narrow table, then their documents in one query, so that
// sorting never moves documents around.
std::vector<std::string> page_of_documents(store::Transaction& tx, const ListSpec& spec,
                                           const std::string& where_and_order,
                                           const store::Params& params) {
    auto ids =
        tx.query("SELECT id FROM " + spec.table + where_and_order + " LIMIT ? OFFSET ?", params);
    if (ids.empty()) return {};
    std::string marks;
    store::Params keys;
    for (const auto& row : ids) {
        marks += marks.empty() ? "?" : ",?";
        keys.emplace_back(row.integer(0));
    }
    std::unordered_map<std::int64_t, std::string> by_id;
    for (auto& row : tx.query("SELECT doc, " + spec.docs_key + " FROM " + spec.docs_table +
                                  " WHERE " + spec.docs_key + " IN (" + marks + ")",
                              keys))
        by_id.emplace(row.integer(1), spec.render ? spec.render(row) : row.text(0));
    std::vector<std::string> docs;
    docs.reserve(ids.size());
    for (const auto& row : ids) {
        auto it = by_id.find(row.integer(0));
        if (it != by_id.end()) docs.push_back(std::move(it->second));
    }
    return docs;
}

}  // namespace

http::Response list(http::Context& ctx, const ListSpec& spec) {
    const Page page = parse_page(ctx.query_param("page"), ctx.query_param("page_size"));
    filter::Query query;
    if (auto header = ctx.request.header("x-filter"); header && !header->empty())
        query = filter::parse(*header, spec.schema);
    filter::Sql sql = filter::compile(query, spec.schema);

    const std::string where = " WHERE (" + spec.visible + ") AND " + sql.where;
    store::Params params = spec.visible_params;
    params.insert(params.end(), sql.params.begin(), sql.params.end());

    const std::int64_t results =
        ctx.tx().query("SELECT COUNT(*) FROM " + spec.table + where, params).at(0).integer(0);

    std::vector<std::string> docs;
    if (page.offset() < results) {
        params.emplace_back(page.page_size);
        params.emplace_back(page.offset());
        if (!spec.docs_table.empty()) {
            docs = page_of_documents(ctx.tx(), spec, where + " ORDER BY " + sql.order_by, params);
        } else {
            auto rows = ctx.tx().query("SELECT " + spec.columns + " FROM " + spec.table + where +
                                           " ORDER BY " + sql.order_by + " LIMIT ? OFFSET ?",
                                       params);
            docs.reserve(rows.size());
            for (const auto& row : rows)
                docs.push_back(spec.render ? spec.render(row) : row.text(0));
        }
    }
    return http::Response::json(page_envelope(docs, page, results));
}

std::string find_doc(store::Transaction& tx, const std::string& table,
                     const std::string& key_column, const store::SqlValue& key,
                     const std::string& visible, const store::Params& visible_params) {
    store::Params params{key};
    params.insert(params.end(), visible_params.begin(), visible_params.end());
    auto rows = tx.query(
        "SELECT doc FROM " + table + " WHERE " + key_column + " = ? AND (" + visible + ")", params);
    if (rows.empty()) throw errors::not_found();
    return rows.front().text(0);
}

std::int64_t id_param(const http::Context& ctx, const std::string& name) {
    const std::string& text = ctx.param(name);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0) throw errors::not_found();
    return id;
}

}  // namespace linnet::api
