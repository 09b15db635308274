// The X-Filter parser: JSON in, a checked condition tree out.
#include "core/filter/filter.hpp"

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/time.hpp"

namespace linnet::filter {

namespace json = boost::json;

const Field* Schema::find(std::string_view name) const {
    for (const auto& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

namespace {

[[noreturn]] void reject(std::string reason) {
    throw errors::bad_filter(std::move(reason));
}

const char* type_name(FieldType t) {
    switch (t) {
        case FieldType::text:
        case FieldType::text_list:
            return "a string";
        case FieldType::integer:
            return "an integer";
        case FieldType::number:
            return "a number";
        case FieldType::boolean:
            return "a boolean";
        case FieldType::time:
            return "a date-time string (YYYY-MM-DDTHH:MM:SS)";
    }
    return "a value";
}

std::optional<Op> comparison(std::string_view key) {
    if (key == "+gt") return Op::gt;
    if (key == "+gte") return Op::gte;
    if (key == "+lt") return Op::lt;
    if (key == "+lte") return Op::lte;
    if (key == "+contains") return Op::contains;
    if (key == "+neq") return Op::neq;
    return std::nullopt;
}

class Parser {
  public:
    explicit Parser(const Schema& schema) : schema_(schema) {}

    Query run(const json::value& root) {
        if (!root.is_object()) reject("X-Filter must be a JSON object");
        Query q;
        q.where = object(root.as_object(), 1);
        if (order_given_ && !order_by_) reject("+order requires +order_by");
        q.order_by = order_by_;
        q.descending = descending_;
        return q;
    }

  private:
    void enter(int depth) {
        if (depth > kMaxDepth)
            reject("X-Filter is nested too deeply (at most " + std::to_string(kMaxDepth) +
                   " levels)");
    }

    // An object: every key is AND-ed.
    Node object(const json::object& obj, int depth) {
        enter(depth);
        Node all;
        for (const auto& [key_view, value] : obj) {
            std::string_view key = key_view;
            if (key == "+and" || key == "+or") {
                all.children.push_back(group(key, value, depth));
            } else if (key == "+order_by") {
                order_by(value);
            } else if (key == "+order") {
                order(value);
            } else if (!key.empty() && key.front() == '+') {
                reject("Unknown filter operator " + std::string(key));
            } else {
                all.children.push_back(field_filter(key, value, depth + 1));
            }
        }
        return all;
    }

    Node group(std::string_view key, const json::value& value, int depth) {
        if (!value.is_array() || value.as_array().empty())
            reject(std::string(key) + " must be a non-empty list of filters");
        Node node;
        node.kind = key == "+and" ? Node::Kind::all : Node::Kind::any;
        for (const auto& item : value.as_array()) {
            if (!item.is_object()) reject(std::string(key) + " must be a list of objects");
            node.children.push_back(object(item.as_object(), depth + 1));
        }
        return node;
    }

    void order_by(const json::value& value) {
        if (!value.is_string()) reject("+order_by must be a field name");
        const Field* f = schema_.find(value.as_string());
        // Lists kept as rows of another table have no single value to order by.
        if (f == nullptr || f->membership)
            reject("Cannot order by " + std::string(value.as_string()));
        if (order_by_ && order_by_ != f) reject("+order_by may be given only once");
        order_by_ = f;
    }

    void order(const json::value& value) {
        if (!value.is_string() || (value.as_string() != "asc" && value.as_string() != "desc"))
            reject("+order must be \"asc\" or \"desc\"");
        bool desc = value.as_string() == "desc";
        if (order_given_ && desc != descending_) reject("+order may be given only once");
        order_given_ = true;
        descending_ = desc;
    }

    // {"field": value} or {"field": {"+op": value, ...}} or {"field": {"+or": [values]}}.
    Node field_filter(std::string_view name, const json::value& value, int depth) {
        enter(depth);
        const Field* field = schema_.find(name);
        if (field == nullptr) reject("Cannot filter on " + std::string(name));
        if (!value.is_object()) return condition(field, Op::eq, value);
        const auto& ops = value.as_object();
        if (ops.empty()) reject("Filter on " + std::string(name) + " has no operator");
        Node all;
        for (const auto& [key_view, operand] : ops) {
            std::string_view key = key_view;
            if (key == "+or" || key == "+and") {
                if (!operand.is_array() || operand.as_array().empty())
                    reject(std::string(key) + " on " + field->name +
                           " must be a non-empty list of values");
                Node group;
                group.kind = key == "+or" ? Node::Kind::any : Node::Kind::all;
                for (const auto& item : operand.as_array())
                    group.children.push_back(field_filter(name, item, depth + 1));
                all.children.push_back(std::move(group));
            } else if (auto op = comparison(key)) {
                all.children.push_back(condition(field, *op, operand));
            } else {
                reject("Unknown filter operator " + std::string(key) + " on " + field->name);
            }
        }
        return all.children.size() == 1 ? std::move(all.children.front()) : std::move(all);
    }

    Node condition(const Field* field, Op op, const json::value& v) {
        if (++conditions_ > kMaxConditions)
            reject("X-Filter has too many conditions (at most " + std::to_string(kMaxConditions) +
                   ")");
        Node node;
        node.kind = Node::Kind::condition;
        node.condition = std::make_shared<Condition>(Condition{field, op, typed(field, op, v)});
        return node;
    }

    Value typed(const Field* f, Op op, const json::value& v) {
        const bool ordering = op == Op::gt || op == Op::gte || op == Op::lt || op == Op::lte;
        const std::string what = "Value for " + f->name;
        if (v.is_null()) {
            if (op == Op::eq || op == Op::neq) return std::monostate{};
            reject(what + " must not be null here");
        }
        if (op == Op::contains) {
            if (f->type != FieldType::text && f->type != FieldType::text_list)
                reject("+contains is not supported on " + f->name);
            if (!v.is_string()) reject("+contains on " + f->name + " must be a string");
            return std::string(v.as_string());
        }
        if (ordering && (f->type == FieldType::text || f->type == FieldType::text_list ||
                         f->type == FieldType::boolean))
            reject("Cannot compare " + f->name + " with +gt/+gte/+lt/+lte");
        switch (f->type) {
            case FieldType::text:
            case FieldType::text_list:
                if (!v.is_string()) reject(what + " must be " + type_name(f->type));
                return std::string(v.as_string());
            case FieldType::boolean:
                if (!v.is_bool()) reject(what + " must be " + type_name(f->type));
                return v.as_bool();
            case FieldType::integer:
                if (v.is_int64()) return v.as_int64();
                if (v.is_uint64() && v.as_uint64() <= INT64_MAX)
                    return static_cast<std::int64_t>(v.as_uint64());
                if (v.is_double() && ordering) return v.as_double();
                reject(what + " must be " + type_name(f->type));
            case FieldType::number:
                if (v.is_int64()) return v.as_int64();
                if (v.is_uint64()) return static_cast<double>(v.as_uint64());
                if (v.is_double()) return v.as_double();
                reject(what + " must be " + type_name(f->type));
            case FieldType::time:
                if (!v.is_string() || !parse_time(v.as_string()))
                    reject(what + " must be " + type_name(f->type));
                return format_time(*parse_time(v.as_string()));
        }
        reject(what + " has an unsupported type");
    }

    const Schema& schema_;
    const Field* order_by_ = nullptr;
    bool descending_ = false;
    bool order_given_ = false;
    int conditions_ = 0;
};

}  // namespace

Query parse(std::string_view header, const Schema& schema) {
    if (header.size() > kMaxHeaderBytes)
        reject("X-Filter is too large (at most " + std::to_string(kMaxHeaderBytes) + " bytes)");
    boost::system::error_code ec;
    json::parse_options options;
    options.max_depth = 2 * kMaxDepth + 4;  // the parser's own guard; the filter's is stricter
    json::value root = json::parse(header, ec, {}, options);
    if (ec == json::error::too_deep)
        reject("X-Filter is nested too deeply (at most " + std::to_string(kMaxDepth) + " levels)");
    if (ec) reject("X-Filter is not valid JSON");
    return Parser(schema).run(root);
}

}  // namespace linnet::filter
