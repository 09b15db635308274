// Lists over HTTP: page and filter from the request, documents from the store.
#include "api/list.hpp"

#include <charconv>

#include "core/error.hpp"
#include "core/pagination.hpp"

namespace linnet::api {

http::Response list(http::Context& ctx, const store::Listing& listing) {
    const Page page = parse_page(ctx.query_param("page"), ctx.query_param("page_size"));
    filter::Query query;
    if (auto header = ctx.request.header("x-filter"); header && !header->empty())
        query = filter::parse(*header, listing.schema);
    auto found = store::read_page(ctx.tx(), listing, query, page);
    return http::Response::json(page_envelope(found.docs, page, found.results));
}

http::Response one(http::Context& ctx, const store::Listing& listing, const std::string& key_column,
                   const store::SqlValue& key) {
    auto doc = store::read_one(ctx.tx(), listing, key_column, key);
    if (!doc) throw errors::not_found();
    return http::Response::json(*doc);
}

std::int64_t id_param(const http::Context& ctx, const std::string& name) {
    const std::string& text = ctx.param(name);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0) throw errors::not_found();
    return id;
}

}  // namespace linnet::api
