// Grants in the store: global grants as one document per user, entity permissions as rows of
// entity_grants. Unrestricted users pass every check without a lookup.
#include "auth/grants.hpp"

#include "core/error.hpp"
#include "core/json.hpp"

namespace linnet::auth {

namespace {

namespace json = boost::json;

// The global grants, in the spec's order, with what a new restricted user holds.
json::object default_global() {
    return json::object{{"account_access", nullptr},     {"add_databases", false},
                        {"add_domains", false},          {"add_firewalls", false},
                        {"add_images", false},           {"add_linodes", false},
                        {"add_longview", false},         {"add_nodebalancers", false},
                        {"add_placement_groups", false}, {"add_stackscripts", false},
                        {"add_volumes", false},          {"add_vpcs", false},
                        {"cancel_account", false},       {"child_account_access", false},
                        {"longview_subscription", false}};
}

}  // namespace

std::optional<Permission> parse_permission(std::string_view text) {
    if (text == "read_only") return Permission::read_only;
    if (text == "read_write") return Permission::read_write;
    return std::nullopt;
}

json::value permission_json(Permission permission) {
    switch (permission) {
        case Permission::read_only:
            return "read_only";
        case Permission::read_write:
            return "read_write";
        case Permission::none:
            break;
    }
    return nullptr;
}

json::object global_grants(store::Transaction& tx, std::int64_t user_id) {
    json::object global = default_global();
    auto rows = tx.query("SELECT doc FROM global_grants WHERE user_id = ?", {user_id});
    if (rows.empty()) return global;
    const json::value stored = json::parse(rows.front().text(0));
    for (const auto& [key, value] : stored.as_object())
        if (global.contains(key)) global[key] = value;
    return global;
}

void save_global_grants(store::Transaction& tx, std::int64_t user_id, const json::object& global) {
    tx.execute(
        "INSERT INTO global_grants (user_id, doc) VALUES (?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc",
        {user_id, to_json(global)});
}

Permission entity_permission(store::Transaction& tx, std::int64_t user_id,
                             std::string_view entity_type, std::int64_t entity_id) {
    auto rows = tx.query(
        "SELECT permissions FROM entity_grants WHERE user_id = ? AND entity_type = ? AND "
        "entity_id = ?",
        {user_id, std::string(entity_type), entity_id});
    if (rows.empty()) return Permission::none;
    return parse_permission(rows.front().text(0)).value_or(Permission::none);
}

void set_entity_permission(store::Transaction& tx, std::int64_t user_id,
                           std::string_view entity_type, std::int64_t entity_id,
                           Permission permission) {
    const std::string type(entity_type);
    if (permission == Permission::none) {
        tx.execute(
            "DELETE FROM entity_grants WHERE user_id = ? AND entity_type = ? AND entity_id = ?",
            {user_id, type, entity_id});
        return;
    }
    tx.execute(
        "INSERT INTO entity_grants (user_id, entity_type, entity_id, permissions) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (user_id, entity_type, entity_id) "
        "DO UPDATE SET permissions = excluded.permissions",
        {user_id, type, entity_id, permission_json(permission).as_string().c_str()});
}

void require_linode(store::Transaction& tx, const Principal& caller, std::int64_t linode_id,
                    Permission need) {
    if (!caller.restricted) return;
    if (entity_permission(tx, caller.user_id, "linode", linode_id) >= need) return;
    if (tx.query("SELECT 1 FROM linodes WHERE id = ?", {linode_id}).empty())
        throw errors::not_found();
    throw errors::forbidden();
}

void require_global(store::Transaction& tx, const Principal& caller, std::string_view flag) {
    if (!caller.restricted) return;
    const auto global = global_grants(tx, caller.user_id);
    const auto* granted = global.if_contains(flag);
    if (granted == nullptr || !granted->is_bool() || !granted->as_bool()) throw errors::forbidden();
}

void require_account(store::Transaction& tx, const Principal& caller, Permission need) {
    if (!caller.restricted) return;
    const auto global = global_grants(tx, caller.user_id);
    const auto& access = global.at("account_access");
    const Permission held = access.is_string()
                                ? parse_permission(access.as_string()).value_or(Permission::none)
                                : Permission::none;
    if (held < need) throw errors::forbidden();
}

void require_unrestricted(const Principal& caller) {
    if (caller.restricted) throw errors::forbidden();
}

std::pair<std::string, store::Params> visible_linodes(const Principal& caller,
                                                      std::string_view id_column) {
    if (!caller.restricted) return {"1=1", {}};
    return {std::string(id_column) +
                " IN (SELECT entity_id FROM entity_grants WHERE user_id = ? AND "
                "entity_type = 'linode')",
            {caller.user_id}};
}

std::pair<std::string, store::Params> visible_events(const Principal& caller) {
    if (!caller.restricted) return {"1=1", {}};
    auto [linodes, params] = visible_linodes(caller, "entity_id");
    return {"entity_type = 'linode' AND " + linodes, std::move(params)};
}

void grant_creator(store::Transaction& tx, const Principal& caller, std::string_view entity_type,
                   std::int64_t entity_id) {
    if (!caller.restricted) return;
    set_entity_permission(tx, caller.user_id, entity_type, entity_id, Permission::read_write);
}

}  // namespace linnet::auth
