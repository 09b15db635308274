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
struct DocumentPage {
    std::vector<std::string> docs;
    std::int64_t results = 0;
};

// The page's ids come from the narrow table, then only their documents are read. In the list's
// own order the ids are counted, then read with LIMIT, which stops early; a +order_by has to
// sort every match anyway, so one pass gives both the count and the page.
DocumentPage page_of_documents(store::Transaction& tx, const ListSpec& spec,
                               const std::string& where, const std::string& order_by,
                               store::Params params, const Page& page) {
    DocumentPage out;
    std::size_t first = 0;
    store::Rows ids;
    if (order_by == spec.schema.default_order) {
        out.results =
            tx.query("SELECT COUNT(*) FROM " + spec.table + where, params).at(0).integer(0);
        if (page.offset() >= out.results) return out;
        params.emplace_back(page.page_size);
        params.emplace_back(page.offset());
        ids = tx.query(
            "SELECT id FROM " + spec.table + where + " ORDER BY " + order_by + " LIMIT ? OFFSET ?",
            params);
    } else {
        ids = tx.query("SELECT id FROM " + spec.table + where + " ORDER BY " + order_by, params);
        out.results = static_cast<std::int64_t>(ids.size());
        if (page.offset() >= out.results) return out;
        first = static_cast<std::size_t>(page.offset());
    }
    const auto last = std::min(ids.size(), first + static_cast<std::size_t>(page.page_size));
    std::string marks;
    store::Params keys;
    for (std::size_t i = first; i < last; ++i) {
        marks += marks.empty() ? "?" : ",?";
        keys.emplace_back(ids[i].integer(0));
    }
    std::unordered_map<std::int64_t, std::string> by_id;
    for (auto& row : tx.query("SELECT doc, " + spec.docs_key + " FROM " + spec.docs_table +
                                  " WHERE " + spec.docs_key + " IN (" + marks + ")",
                              keys))
        by_id.emplace(row.integer(1), spec.render ? spec.render(row) : row.text(0));
    out.docs.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) {
        auto it = by_id.find(ids[i].integer(0));
        if (it != by_id.end()) out.docs.push_back(std::move(it->second));
    }
    return out;
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

    if (!spec.docs_table.empty()) {
        auto found = page_of_documents(ctx.tx(), spec, where, sql.order_by, params, page);
        return http::Response::json(page_envelope(found.docs, page, found.results));
    }
    const std::int64_t results =
        ctx.tx().query("SELECT COUNT(*) FROM " + spec.table + where, params).at(0).integer(0);

    std::vector<std::string> docs;
    if (page.offset() < results) {
        params.emplace_back(page.page_size);
        params.emplace_back(page.offset());
        auto rows = ctx.tx().query("SELECT " + spec.columns + " FROM " + spec.table + where +
                                       " ORDER BY " + sql.order_by + " LIMIT ? OFFSET ?",
                                   params);
        docs.reserve(rows.size());
        for (const auto& row : rows) docs.push_back(spec.render ? spec.render(row) : row.text(0));
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
