// X-Filter tree to SQL.
#include "core/filter/filter_sql.hpp"

#include <algorithm>

namespace linnet::filter {

namespace {

constexpr char kListMark = '\x1f';

store::SqlValue bind(const Value& v) {
    if (auto b = std::get_if<bool>(&v)) return std::int64_t{*b ? 1 : 0};
    if (auto i = std::get_if<std::int64_t>(&v)) return *i;
    if (auto d = std::get_if<double>(&v)) return *d;
    if (auto s = std::get_if<std::string>(&v)) return *s;
    return std::monostate{};
}

std::string lower_ascii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

class Compiler {
  public:
    std::string node(const Node& n) {
        switch (n.kind) {
            case Node::Kind::condition:
                return condition(*n.condition);
            case Node::Kind::all:
            case Node::Kind::any: {
                if (n.children.empty()) return n.kind == Node::Kind::all ? "1=1" : "1=0";
                if (n.children.size() == 1) return node(n.children.front());
                std::string out = "(";
                const char* glue = n.kind == Node::Kind::all ? " AND " : " OR ";
                for (std::size_t i = 0; i < n.children.size(); ++i) {
                    if (i) out += glue;
                    out += node(n.children[i]);
                }
                return out + ")";
            }
        }
        return "1=0";
    }

    store::Params params;

  private:
    std::string condition(const Condition& c) {
        const std::string& col = c.field->column;
        const bool is_null = std::holds_alternative<std::monostate>(c.value);
        if (c.field->type == FieldType::text_list) return list_condition(c);
        switch (c.op) {
            case Op::eq:
                if (is_null) return "(" + col + " IS NULL)";
                params.push_back(bind(c.value));
                return "(" + col + " = ?)";
            case Op::neq:
                if (is_null) return "(" + col + " IS NOT NULL)";
                params.push_back(bind(c.value));
                // A NULL column differs from any value.
                return "(" + col + " IS NULL OR " + col + " <> ?)";
            case Op::gt:
                return compare(col, ">", c.value);
            case Op::gte:
                return compare(col, ">=", c.value);
            case Op::lt:
                return compare(col, "<", c.value);
            case Op::lte:
                return compare(col, "<=", c.value);
            case Op::contains:
                params.push_back(
                    "%" + store::like_escape(lower_ascii(std::get<std::string>(c.value))) + "%");
                return "(LOWER(" + col + ") LIKE ? ESCAPE '\\')";
        }
        return "1=0";
    }

    std::string compare(const std::string& col, const char* op, const Value& v) {
        params.push_back(bind(v));
        return "(" + col + " " + op + " ?)";
    }

    std::string member_condition(const Condition& c) {
        const Membership& m = *c.field->membership;
        const std::string select = "SELECT " + m.key + " FROM " + m.table + " WHERE " +
                                   (m.scope.empty() ? "" : m.scope + " AND ");
        if (std::holds_alternative<std::monostate>(c.value))
            return "(" + m.owner + (c.op == Op::eq ? " NOT IN (" : " IN (") + select + m.key +
                   " IS NOT NULL))";
        const auto& s = std::get<std::string>(c.value);
        switch (c.op) {
            case Op::contains:
                params.push_back("%" + store::like_escape(lower_ascii(s)) + "%");
                return "(" + m.owner + " IN (" + select + "LOWER(" + m.value +
                       ") LIKE ? ESCAPE '\\'))";
            case Op::neq:
                params.push_back(s);
                return "(" + m.owner + " NOT IN (" + select + m.value + " = ?))";
            default:
                params.push_back(s);
                return "(" + m.owner + " IN (" + select + m.value + " = ?))";
        }
    }

    std::string list_condition(const Condition& c) {
        if (c.field->membership) return member_condition(c);
        const std::string& col = c.field->column;
        if (std::holds_alternative<std::monostate>(c.value))
            return c.op == Op::eq ? "(" + col + " = '')" : "(" + col + " <> '')";
        const auto& s = std::get<std::string>(c.value);
        switch (c.op) {
            case Op::contains:
                params.push_back("%" + store::like_escape(lower_ascii(s)) + "%");
                return "(LOWER(" + col + ") LIKE ? ESCAPE '\\')";
            case Op::neq:
                params.push_back("%" + std::string(1, kListMark) + store::like_escape(s) +
                                 std::string(1, kListMark) + "%");
                return "(" + col + " NOT LIKE ? ESCAPE '\\')";
            default:
                params.push_back("%" + std::string(1, kListMark) + store::like_escape(s) +
                                 std::string(1, kListMark) + "%");
                return "(" + col + " LIKE ? ESCAPE '\\')";
        }
    }
};

}  // namespace

Sql compile(const Query& query, const Schema& schema) {
    Compiler compiler;
    Sql sql;
    sql.where = compiler.node(query.where);
    sql.params = std::move(compiler.params);
    if (query.order_by != nullptr) {
        const std::string& col = query.order_by->column;
        const char* dir = query.descending ? " DESC" : " ASC";
        // Both databases then agree on where NULLs go: last ascending, first descending.
        sql.order_by =
            query.order_by->nullable ? "(" + col + " IS NULL)" + dir + ", " + col + dir : col + dir;
        // Ties break on the list's key, in the direction asked for, so pages never overlap.
        const std::string key = schema.default_order.substr(0, schema.default_order.find(' '));
        if (col != key) sql.order_by += ", " + key + dir;
    } else {
        sql.order_by = schema.default_order;
    }
    return sql;
}

std::string encode_text_list(const std::vector<std::string>& items) {
    if (items.empty()) return "";
    std::string out(1, kListMark);
    for (const auto& item : items) {
        out += item;
        out.push_back(kListMark);
    }
    return out;
}

std::vector<std::string> decode_text_list(const std::string& encoded) {
    std::vector<std::string> out;
    std::string item;
    for (std::size_t i = 1; i < encoded.size(); ++i) {
        if (encoded[i] == kListMark) {
            out.push_back(std::move(item));
            item.clear();
        } else {
            item.push_back(encoded[i]);
        }
    }
    return out;
}

}  // namespace linnet::filter
