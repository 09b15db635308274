// Statements on tags.
#include "tags/tag_repository.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::tags {

using filter::FieldType;

namespace statements {
constexpr std::string_view add =
    "INSERT INTO tags (account_id, label) VALUES (?, ?) ON CONFLICT (account_id, label) DO NOTHING";
constexpr std::string_view exists = "SELECT 1 AS found FROM tags WHERE label = ? AND {{account}}";
constexpr std::string_view remove = "DELETE FROM tags WHERE label = ? AND {{account}}";
}  // namespace statements

namespace {
const filter::Schema kTags{{{"label", "label", FieldType::text}}, "label"};
}  // namespace

void TagRepository::add(const std::string& label) {
    tx_.write(statements::add, {tx_.scope().account_id(), label});
}

bool TagRepository::exists(const std::string& label) {
    return !store::scoped_query(tx_, statements::exists, {label}).empty();
}

bool TagRepository::remove(const std::string& label) {
    return store::scoped_execute(tx_, statements::remove, {label}) > 0;
}

store::Listing TagRepository::listing() {
    store::Listing l{"tags", kTags, "{{account}}"};
    l.columns = "label";
    l.render = [](const store::Row& row) {
        return to_json(boost::json::object{{"label", row.text("label")}});
    };
    return l;
}

}  // namespace linnet::tags
