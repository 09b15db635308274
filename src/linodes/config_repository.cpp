// Statements on configs.
#include "linodes/config_repository.hpp"

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::linodes {

namespace json = boost::json;
using filter::FieldType;

namespace statements {
constexpr std::string_view find_of =
    "SELECT doc FROM configs WHERE id = ? AND linode_id = ? AND linode_id IN (SELECT id FROM "
    "linodes WHERE {{account}})";
constexpr std::string_view find =
    "SELECT doc FROM configs WHERE id = ? AND EXISTS (SELECT 1 FROM linodes l WHERE l.id = "
    "configs.linode_id AND {{account:l.account_id}})";
constexpr std::string_view of_linode = "SELECT doc FROM configs WHERE linode_id = ? ORDER BY id";
constexpr std::string_view first_id =
    "SELECT id FROM configs WHERE linode_id = ? ORDER BY id LIMIT 1";
constexpr std::string_view insert =
    "INSERT INTO configs (linode_id, label, doc) VALUES (?, ?, '{}') RETURNING id";
constexpr std::string_view save = "UPDATE configs SET label = ?, doc = ? WHERE id = ?";
constexpr std::string_view remove = "DELETE FROM configs WHERE id = ?";
constexpr std::string_view remove_all = "DELETE FROM configs WHERE linode_id = ?";
constexpr std::string_view of_one_linode = "linode_id = ?";
}  // namespace statements

namespace {

const filter::Schema kConfigs{{{"label", "label", FieldType::text}}, "id"};

std::optional<json::object> first_doc(const store::Rows& rows) {
    if (rows.empty()) return std::nullopt;
    return json::parse(rows.front().text("doc")).as_object();
}

}  // namespace

std::optional<json::object> ConfigRepository::find_of(std::int64_t linode_id, std::int64_t id) {
    return first_doc(store::scoped_query(tx_, statements::find_of, {id, linode_id}));
}

std::optional<json::object> ConfigRepository::find(std::int64_t id) {
    return first_doc(store::scoped_query(tx_, statements::find, {id}));
}

std::vector<json::object> ConfigRepository::of_linode(std::int64_t linode_id) {
    std::vector<json::object> out;
    for (const auto& row : store::scoped_query(tx_, statements::of_linode, {linode_id}))
        out.push_back(json::parse(row.text("doc")).as_object());
    return out;
}

std::optional<std::int64_t> ConfigRepository::first_id(std::int64_t linode_id) {
    auto rows = store::scoped_query(tx_, statements::first_id, {linode_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().integer("id");
}

std::int64_t ConfigRepository::insert(std::int64_t linode_id, json::object config) {
    const std::int64_t id =
        store::scoped_query(tx_, statements::insert,
                            {linode_id, std::string(config.at("label").as_string())})
            .at(0)
            .integer("id");
    config["id"] = id;
    save(config);
    return id;
}

void ConfigRepository::save(const json::object& config) {
    tx_.write(statements::save, {std::string(config.at("label").as_string()), to_json(config),
                                 config.at("id").as_int64()});
}

void ConfigRepository::clear_devices(std::int64_t linode_id, std::string_view key,
                                     std::int64_t id) {
    for (auto& config : of_linode(linode_id)) {
        bool changed = false;
        for (auto& [slot, device] : config["devices"].as_object())
            if (device.is_object() && device.as_object().contains(key) &&
                device.as_object().at(key) == id) {
                device = nullptr;
                changed = true;
            }
        if (changed) save(config);
    }
}

void ConfigRepository::remove(std::int64_t id) {
    tx_.execute(statements::remove, {id});
}

void ConfigRepository::remove_all(std::int64_t linode_id) {
    tx_.execute(statements::remove_all, {linode_id});
}

store::Listing ConfigRepository::listing(std::int64_t linode_id) {
    return store::Listing{"configs", kConfigs, std::string(statements::of_one_linode), {linode_id}};
}

}  // namespace linnet::linodes
