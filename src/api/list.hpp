// Lists and single objects read from a table's stored JSON documents: pagination, X-Filter and
// the stable order come from here, for every resource.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/filter/filter.hpp"
#include "http/request.hpp"

namespace linnet::api {

struct ListSpec {
    std::string table;
    const filter::Schema& schema;
    // Which rows the caller may see at all, e.g. "user_id = ?".
    std::string visible = "1=1";
    store::Params visible_params = {};
    // Documents kept in another table, keyed by this table's id: the page's ids are found on
    // the narrow table first and only their documents are read.
    std::string docs_table = "";
    std::string docs_key = "";
    // Tables without a stored document select these columns and render each row.
    std::string columns = "doc";
    std::function<std::string(const store::Row&)> render = nullptr;
};

// The spec with columns selected and rendered by `render` instead of a stored document.
ListSpec rendered(ListSpec spec, std::string columns,
                  std::function<std::string(const store::Row&)> render);

// A page of the list, filtered by the request's X-Filter, in the {data,page,pages,results} shape.
http::Response list(http::Context& ctx, const ListSpec& spec);

// The stored document of one row, or 404.
std::string find_doc(store::Transaction& tx, const std::string& table,
                     const std::string& key_column, const store::SqlValue& key,
                     const std::string& visible = "1=1", const store::Params& visible_params = {});

// Parses an integer path parameter; an id that is not a number names nothing (404).
std::int64_t id_param(const http::Context& ctx, const std::string& name);

}  // namespace linnet::api
