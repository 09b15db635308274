// /placement/groups: placement groups of Linodes (anti-affinity or affinity, strict or
// flexible), their members and compliance.
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "placement/placement_groups.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;

placement::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

placement::PlacementGroup group_of(http::Context& ctx, Permission need) {
    const std::int64_t id = id_param(ctx, "groupId");
    auto group = placement::PlacementGroupRepository(ctx.tx()).find(id);
    auth::require_entity(ctx.tx(), ctx.caller(), "placement_group", id, need, group.has_value());
    if (!group) throw errors::not_found();
    return *group;
}

http::Response document(const placement::PlacementGroup& g) {
    return http::Response::json(placement::render(g));
}

http::Response create(http::Context& ctx) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_placement_groups");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    placement::NewGroup request;
    request.label = reader.string("label", {true}).value_or("");
    request.region = reader.string("region", {true}).value_or("");
    request.type = reader.string("placement_group_type", {true}).value_or("");
    request.policy = reader.string("placement_group_policy", {true}).value_or("");
    reader.finish();
    auto group = placement::create(ctx.tx(), actor_of(ctx), request);
    auth::grant_creator(ctx.tx(), ctx.caller(), "placement_group", group.id);
    return document(group);
}

http::Response update(http::Context& ctx) {
    auto group = group_of(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto label = reader.string("label");
    reader.finish();
    if (label && *label != group.label) placement::rename(ctx.tx(), actor_of(ctx), group, *label);
    return document(group);
}

http::Response remove(http::Context& ctx) {
    const auto group = group_of(ctx, Permission::read_write);
    placement::remove(ctx.tx(), actor_of(ctx), group);
    return http::Response::json("{}");
}

// The `linodes` list of an assign or unassign: ids of Linodes the caller may change.
std::vector<std::int64_t> linodes_of(http::Context& ctx, const json::object& body) {
    BodyReader reader(body);
    std::vector<std::int64_t> ids;
    const auto* list = body.if_contains("linodes");
    if (!list || !list->is_array() || list->as_array().empty()) {
        reader.fail("linodes", "linodes must be a list of one or more Linode ids");
    } else {
        for (const auto& id : list->as_array()) {
            if (!id.is_int64()) {
                reader.fail("linodes", "linodes must be a list of Linode ids");
                break;
            }
            ids.push_back(id.as_int64());
        }
    }
    if (const auto* flag = body.if_contains("non_compliant"); flag && !flag->is_bool())
        reader.fail("non_compliant", "non_compliant must be a boolean");
    reader.finish();
    for (const auto id : ids)
        auth::require_linode(ctx.tx(), ctx.caller(), id, Permission::read_write);
    return ids;
}

http::Response assign(http::Context& ctx) {
    auto group = group_of(ctx, Permission::read_write);
    const auto ids = linodes_of(ctx, parse_body(ctx.request.body));
    placement::assign(ctx.tx(), actor_of(ctx), group, ids);
    return document(group);
}

http::Response unassign(http::Context& ctx) {
    auto group = group_of(ctx, Permission::read_write);
    const auto ids = linodes_of(ctx, parse_body(ctx.request.body));
    placement::unassign(ctx.tx(), actor_of(ctx), group, ids);
    return document(group);
}

}  // namespace

void register_placement_groups(http::Router& router) {
    using auth::Requirement;
    const auto rw = Requirement::of("linodes:read_write");
    const std::string one = "/placement/groups/{groupId}";
    router.add("GET", "/placement/groups", "get-placement-groups",
               Requirement::of("placement:read_only"), [](http::Context& ctx) {
                   return list(ctx, placement::PlacementGroupRepository::listing(
                                        auth::visible_entities(ctx.caller(), "placement_group")));
               });
    router.add("POST", "/placement/groups", "post-placement-group", rw, create);
    router.add("GET", one, "get-placement-group", Requirement::of("linodes:read_only"),
               [](http::Context& ctx) { return document(group_of(ctx, Permission::read_only)); });
    router.add("PUT", one, "put-placement-group", rw, update);
    router.add("DELETE", one, "delete-placement-group", rw, remove);
    router.add("POST", one + "/assign", "post-group-add-linode", rw, assign);
    router.add("POST", one + "/unassign", "post-group-unassign", rw, unassign);
}

}  // namespace linnet::api
