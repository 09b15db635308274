// Grants in the store: global grants as one document per user, entity permissions as rows of
// entity_grants. Unrestricted users pass every check without a lookup.
#include "auth/grants.hpp"

#include "auth/grant_repository.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "linodes/linode_repository.hpp"

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
    auto stored_doc = GrantRepository(tx).global_doc(user_id);
    if (!stored_doc) return global;
    const json::value stored = json::parse(*stored_doc);
    for (const auto& [key, value] : stored.as_object())
        if (global.contains(key)) global[key] = value;
    return global;
}

void save_global_grants(store::Transaction& tx, std::int64_t user_id, const json::object& global) {
    GrantRepository(tx).save_global_doc(user_id, to_json(global));
}

Permission entity_permission(store::Transaction& tx, std::int64_t user_id,
                             std::string_view entity_type, std::int64_t entity_id) {
    auto stored = GrantRepository(tx).entity_permission(user_id, entity_type, entity_id);
    if (!stored) return Permission::none;
    return parse_permission(*stored).value_or(Permission::none);
}

void set_entity_permission(store::Transaction& tx, std::int64_t user_id,
                           std::string_view entity_type, std::int64_t entity_id,
                           Permission permission) {
    GrantRepository grants(tx);
    if (permission == Permission::none) {
        grants.remove_entity_permission(user_id, entity_type, entity_id);
        return;
    }
    grants.set_entity_permission(user_id, entity_type, entity_id,
                                 permission_json(permission).as_string().c_str());
}

void require_linode(store::Transaction& tx, const Principal& caller, std::int64_t linode_id,
                    Permission need) {
    if (!caller.restricted) return;
    if (entity_permission(tx, caller.user_id, "linode", linode_id) >= need) return;
    if (!linodes::LinodeRepository(tx).exists(linode_id)) throw errors::not_found();
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
    if (!caller.restricted) return GrantRepository::everything();
    return GrantRepository::granted_linodes(caller.user_id, id_column);
}

void require_entity(store::Transaction& tx, const Principal& caller, std::string_view entity_type,
                    std::int64_t entity_id, Permission need, bool exists) {
    if (!caller.restricted) return;
    if (entity_permission(tx, caller.user_id, entity_type, entity_id) >= need) return;
    if (!exists) throw errors::not_found();
    throw errors::forbidden();
}

std::pair<std::string, store::Params> visible_entities(const Principal& caller,
                                                       std::string_view entity_type,
                                                       std::string_view id_column) {
    if (!caller.restricted) return GrantRepository::everything();
    return GrantRepository::granted(caller.user_id, entity_type, id_column);
}

std::pair<std::string, store::Params> visible_events(const Principal& caller) {
    if (!caller.restricted) return GrantRepository::everything();
    return GrantRepository::granted_events(caller.user_id);
}

void grant_creator(store::Transaction& tx, const Principal& caller, std::string_view entity_type,
                   std::int64_t entity_id) {
    if (!caller.restricted) return;
    set_entity_permission(tx, caller.user_id, entity_type, entity_id, Permission::read_write);
}

}  // namespace linnet::auth
