// Lists over HTTP: page and filter from the request, documents from the store.
#include "api/list.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "api/list_cache.hpp"
#include "auth/principal.hpp"
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

http::Response empty_list(http::Context& ctx) {
    const Page page = parse_page(ctx.query_param("page"), ctx.query_param("page_size"));
    if (auto header = ctx.request.header("x-filter"); header && !header->empty()) {
        boost::system::error_code ec;
        auto filter = boost::json::parse(*header, ec);
        if (ec || !filter.is_object()) throw errors::bad_filter("X-Filter must be a JSON object");
    }
    return http::Response::json(page_envelope({}, page, 0));
}

http::Response versioned_list(http::Context& ctx, std::string_view family,
                              const store::Listing& listing) {
    const auto& caller = ctx.caller();
    if (caller.restricted) return list(ctx, listing);
    const std::int64_t version = caller.list_family == family && caller.list_version
                                     ? *caller.list_version
                                     : store::list_version(ctx.tx(), family, caller.account_id);
    std::string key = std::to_string(caller.account_id);
    key += '\n';
    key += family;
    key += '\n';
    key += ctx.request.target;
    key += '\n';
    key += ctx.request.header("x-filter").value_or("");
    if (auto body = list_cache().find(key, version)) return http::Response::json(std::move(*body));
    http::Response answer = list(ctx, listing);
    if (answer.status == 200) list_cache().store(key, version, answer.body);
    return answer;
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
