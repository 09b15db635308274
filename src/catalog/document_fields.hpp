// Column values taken from a catalog document: the catalog files are JSON, and the columns that
// lists filter on are copied out of them when they are stored.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace linnet::catalog::fields {

inline std::string str(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

inline store::SqlValue opt_str(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v && v->is_string()) return std::string(v->as_string());
    return std::monostate{};
}

inline std::int64_t num(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return 0;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
    return 0;
}

inline std::int64_t flag(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_bool() && v->as_bool() ? 1 : 0;
}

}  // namespace linnet::catalog::fields
