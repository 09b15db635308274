// X-Filter: the JSON filter language of the Linode API, parsed into a tree and checked against
// the fields a resource declares filterable. Compiling the tree to SQL is filter_sql's job.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace linnet::filter {

constexpr std::size_t kMaxHeaderBytes = 8192;
constexpr int kMaxDepth = 8;
constexpr int kMaxConditions = 256;

enum class FieldType {
    text,     // string, compared exactly; +contains is a case-insensitive substring match
    integer,  // whole numbers
    number,   // any number
    boolean,
    time,      // "YYYY-MM-DDTHH:MM:SS" strings, ordered
    text_list  // array of strings (tags, capabilities): equality means "has this element"
};

// A filterable field: its name in X-Filter (dotted for nested ones) and the SQL column that
// holds it. Columns are fixed by the resource, never taken from the request.
// A text_list kept as rows of another table: `owner` IN (SELECT key FROM table WHERE value ...),
// which an index on (value, key) answers without scanning the owner table.
struct Membership {
    std::string owner;
    std::string table;
    std::string key;
    std::string value;
    // A fixed condition on the member rows, e.g. "family = 'ipv4'" (schema text, never input).
    std::string scope = "";
};

struct Field {
    std::string name;
    std::string column;
    FieldType type;
    bool nullable = false;
    std::optional<Membership> membership = std::nullopt;
};

struct Schema {
    std::vector<Field> fields;
    // The stable order of a list, and the last key of every +order_by so pages never overlap.
    std::string default_order;
    const Field* find(std::string_view name) const;
};

using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string>;

enum class Op { eq, neq, gt, gte, lt, lte, contains };

struct Condition;
struct Node {
    enum class Kind { all, any, condition } kind = Kind::all;
    std::vector<Node> children;                  // all / any
    std::shared_ptr<const Condition> condition;  // condition
};

struct Condition {
    const Field* field;
    Op op;
    Value value;
};

struct Query {
    Node where;  // Kind::all with no children matches everything
    const Field* order_by = nullptr;
    bool descending = false;
};

// Parses an X-Filter header. Throws ApiError 400 (field "X-Filter") with a reason that says what
// is wrong: not JSON, not an object, unknown or unfilterable field, wrong value type, unknown
// operator, too deep, too large.
Query parse(std::string_view header, const Schema& schema);

}  // namespace linnet::filter
