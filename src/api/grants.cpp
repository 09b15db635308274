// Grants: /account/users/{username}/grants (unrestricted callers only) and /profile/grants (the
// caller's own). Unrestricted users hold everything and have no grants: 204 No Content.
#include <boost/json.hpp>
#include <unordered_map>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "api/users.hpp"
#include "auth/grant_repository.hpp"
#include "auth/grants.hpp"
#include "auth/user_repository.hpp"
#include "core/json.hpp"
#include "domains/domain_repository.hpp"
#include "firewalls/firewall_repository.hpp"
#include "images/image_repository.hpp"
#include "linodes/linode_repository.hpp"
#include "longview/longview_repository.hpp"
#include "nodebalancers/nodebalancer_repository.hpp"
#include "placement/placement_group_repository.hpp"
#include "stackscripts/stackscript_repository.hpp"
#include "volumes/volume_repository.hpp"
#include "vpcs/vpc_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;

// The kinds of entity a grant may name, in the spec's order. Domains, firewalls, images (private
// ones), Linodes, NodeBalancers, placement groups, StackScripts, volumes and VPCs exist in
// Linnet.
const char* kEntityTypes[] = {"database",    "domain",   "firewall",     "image",
                              "linode",      "longview", "nodebalancer", "placement_group",
                              "stackscript", "volume",   "vpc"};

http::Response no_content() {
    http::Response r;
    r.status = 204;
    r.body.clear();
    return r;
}

bool is_restricted(store::Transaction& tx, std::int64_t user_id) {
    return auth::UserRepository(tx).find(user_id).value().restricted;
}

// The grants document; `granted_only` leaves out entities the user has no access to.
json::object grants_doc(store::Transaction& tx, std::int64_t user_id, bool granted_only) {
    json::object doc;
    doc["global"] = auth::global_grants(tx, user_id);
    for (const char* type : kEntityTypes) doc[type] = json::array{};
    const auto add = [&](const char* type,
                         const std::vector<std::pair<std::int64_t, std::string>>& entities) {
        auto& list = doc[type].as_array();
        std::unordered_map<std::int64_t, std::string> granted;
        for (auto& grant : auth::GrantRepository(tx).entity_permissions(user_id, type))
            granted.emplace(grant.entity_id, std::move(grant.permissions));
        for (const auto& [id, label] : entities) {
            const auto it = granted.find(id);
            const Permission permission =
                it == granted.end() ? Permission::none
                                    : auth::parse_permission(it->second).value_or(Permission::none);
            if (granted_only && permission == Permission::none) continue;
            list.push_back(json::object{
                {"id", id}, {"label", label}, {"permissions", auth::permission_json(permission)}});
        }
    };
    std::vector<std::pair<std::int64_t, std::string>> linodes;
    for (const auto& linode : linodes::LinodeRepository(tx).names())
        linodes.emplace_back(linode.id, linode.label);
    add("domain", domains::DomainRepository(tx).names());
    add("vpc", vpcs::VpcRepository(tx).names());
    add("firewall", firewalls::FirewallRepository(tx).names());
    add("nodebalancer", nodebalancers::NodeBalancerRepository(tx).names());
    add("linode", linodes);
    add("placement_group", placement::PlacementGroupRepository(tx).names());
    add("image", images::ImageRepository(tx).private_names());
    add("stackscript", stackscripts::StackScriptRepository(tx).names());
    add("volume", volumes::VolumeRepository(tx).names());
    add("longview", longview::LongviewRepository(tx).names());
    return doc;
}

// A script of the account's own (a public one of another account takes no grant).
bool owned_stackscript(store::Transaction& tx, std::int64_t id) {
    const auto script = stackscripts::StackScriptRepository(tx).find(id);
    return script && script->mine;
}

// Reads the "global" part of a grants update into `global`.
void read_global(const json::value& value, json::object& global, BodyReader& reader) {
    if (!value.is_object()) return reader.fail("global", "global must be an object");
    for (const auto& [key, v] : value.as_object()) {
        const std::string field = "global." + std::string(key);
        if (!global.contains(key)) {
            reader.fail(field, field + " is not a grant");
        } else if (key == "account_access") {
            if (v.is_null() || (v.is_string() && auth::parse_permission(v.as_string())))
                global[key] = v;
            else
                reader.fail(field, "account_access must be null, read_only or read_write");
        } else if (v.is_bool()) {
            global[key] = v;
        } else {
            reader.fail(field, field + " must be a boolean");
        }
    }
}

struct EntityGrant {
    std::int64_t id;
    Permission permission;
};

// Reads one entity list of a grants update; every id must name an entity of that type.
std::vector<EntityGrant> read_entities(store::Transaction& tx, const std::string& type,
                                       const json::value& value, BodyReader& reader) {
    std::vector<EntityGrant> out;
    if (!value.is_array()) {
        reader.fail(type, type + " must be a list of grants");
        return out;
    }
    for (const auto& item : value.as_array()) {
        const auto* grant = item.if_object();
        const auto* id = grant ? grant->if_contains("id") : nullptr;
        const auto* permissions = grant ? grant->if_contains("permissions") : nullptr;
        if (id == nullptr || !id->is_int64() || permissions == nullptr ||
            !(permissions->is_null() || permissions->is_string())) {
            reader.fail(type, type + " grants must be objects with an id and permissions");
            continue;
        }
        std::optional<Permission> permission = Permission::none;
        if (permissions->is_string()) permission = auth::parse_permission(permissions->as_string());
        if (!permission) {
            reader.fail(type, "permissions must be null, read_only or read_write");
            continue;
        }
        const bool exists =
            (type == "linode" && linodes::LinodeRepository(tx).exists(id->as_int64())) ||
            (type == "volume" && volumes::VolumeRepository(tx).find(id->as_int64())) ||
            (type == "firewall" && firewalls::FirewallRepository(tx).find(id->as_int64())) ||
            (type == "domain" && domains::DomainRepository(tx).find(id->as_int64())) ||
            (type == "vpc" && vpcs::VpcRepository(tx).find(id->as_int64())) ||
            (type == "longview" && longview::LongviewRepository(tx).find(id->as_int64())) ||
            (type == "nodebalancer" &&
             nodebalancers::NodeBalancerRepository(tx).find(id->as_int64())) ||
            (type == "placement_group" &&
             placement::PlacementGroupRepository(tx).find(id->as_int64())) ||
            (type == "stackscript" && owned_stackscript(tx, id->as_int64())) ||
            (type == "image" &&
             images::ImageRepository(tx).find_private("private/" + std::to_string(id->as_int64())));
        if (!exists) {
            reader.fail(type, "No " + type + " with id " + std::to_string(id->as_int64()));
            continue;
        }
        out.push_back({id->as_int64(), *permission});
    }
    return out;
}

http::Response update(http::Context& ctx) {
    auth::require_unrestricted(ctx.caller());
    const std::int64_t user_id = user_id_of(ctx);
    auto& tx = ctx.tx();
    const json::object body = parse_body(ctx.request.body);
    if (!is_restricted(tx, user_id))
        throw errors::bad_request("This user is unrestricted and has no grants to set");
    BodyReader reader(body);
    json::object global = auth::global_grants(tx, user_id);
    if (const auto* v = body.if_contains("global")) read_global(*v, global, reader);
    std::vector<std::pair<std::string, std::vector<EntityGrant>>> entities;
    for (const char* type : kEntityTypes)
        if (const auto* v = body.if_contains(type))
            entities.emplace_back(type, read_entities(tx, type, *v, reader));
    reader.finish();
    auth::save_global_grants(tx, user_id, global);
    for (const auto& [type, grants] : entities)
        for (const auto& grant : grants)
            auth::set_entity_permission(tx, user_id, type, grant.id, grant.permission);
    return http::Response::json(to_json(grants_doc(tx, user_id, false)));
}

}  // namespace

void register_grants(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/account/users/{username}/grants", "get-user-grants",
               Requirement::of("account:read_only"), [](http::Context& ctx) {
                   auth::require_unrestricted(ctx.caller());
                   const std::int64_t user_id = user_id_of(ctx);
                   if (!is_restricted(ctx.tx(), user_id)) return no_content();
                   return http::Response::json(to_json(grants_doc(ctx.tx(), user_id, false)));
               });
    router.add("PUT", "/account/users/{username}/grants", "put-user-grants",
               Requirement::of("account:read_write"), update);
    router.add("GET", "/profile/grants", "get-profile-grants", Requirement::token(),
               [](http::Context& ctx) {
                   const auto& me = ctx.caller();
                   if (!me.restricted) return no_content();
                   return http::Response::json(to_json(grants_doc(ctx.tx(), me.user_id, true)));
               });
}

}  // namespace linnet::api
