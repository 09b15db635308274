// /networking/firewalls: Cloud Firewalls, their rules and rule history, their devices; and the
// firewalls of a Linode (/linode/instances/{id}/firewalls, .../apply).
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "firewalls/firewalls.hpp"
#include "nodebalancers/nodebalancer_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;

const StringRule kTag{false, 1, 50};

firewalls::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

// The firewall the path names, with the caller's permission on it checked.
firewalls::Firewall firewall_of(http::Context& ctx, Permission need) {
    const std::int64_t id = id_param(ctx, "firewallId");
    auto firewall = firewalls::FirewallRepository(ctx.tx()).find(id);
    auth::require_entity(ctx.tx(), ctx.caller(), "firewall", id, need, firewall.has_value());
    if (!firewall) throw errors::not_found();
    return *firewall;
}

// A restricted caller needs read_write on a NodeBalancer to guard it (one that does not exist
// is the firewall's 400 to report).
void require_nodebalancer(http::Context& ctx, std::int64_t id) {
    const bool exists = nodebalancers::NodeBalancerRepository(ctx.tx()).find(id).has_value();
    if (exists)
        auth::require_entity(ctx.tx(), ctx.caller(), "nodebalancer", id, Permission::read_write,
                             true);
}

http::Response document(http::Context& ctx, const firewalls::Firewall& f) {
    return http::Response::json(
        firewalls::render(f, firewalls::FirewallRepository(ctx.tx()).devices_of(f.id)));
}

// A list of ids at `field` (devices.linodes): each must be an integer.
std::vector<std::int64_t> read_ids(const json::object& devices, const char* name,
                                   BodyReader& reader) {
    std::vector<std::int64_t> out;
    const auto* list = devices.if_contains(name);
    if (!list || list->is_null()) return out;
    const std::string field = std::string("devices.") + name;
    if (!list->is_array()) {
        reader.fail(field, field + " must be a list of ids");
        return out;
    }
    for (const auto& id : list->as_array()) {
        if (!id.is_int64()) {
            reader.fail(field, field + " must be a list of ids");
            return {};
        }
        out.push_back(id.as_int64());
    }
    return out;
}

// Reads a rules object and throws one 400 naming every problem with it (and the reader's).
firewalls::Rules read_rules(const json::value& value, const std::string& prefix, bool required,
                            BodyReader& reader) {
    std::vector<ErrorDetail> problems;
    auto rules = firewalls::read_rules(value, prefix, required, problems);
    for (auto& p : problems) reader.fail(p.field.value_or(prefix), p.reason);
    return rules;
}

http::Response create(http::Context& ctx) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_firewalls");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    firewalls::NewFirewall request;
    request.label = reader.string("label", {true}).value_or("");
    if (const auto* rules = body.if_contains("rules"))
        request.rules = read_rules(*rules, "rules", true, reader);
    else
        reader.fail("rules", "rules is required");
    request.tags = reader.string_list("tags", kTag).value_or(std::vector<std::string>{});
    if (const auto* devices = body.if_contains("devices"); devices && !devices->is_null()) {
        if (!devices->is_object()) {
            reader.fail("devices", "devices must be an object of linodes and nodebalancers");
        } else {
            request.linodes = read_ids(devices->as_object(), "linodes", reader);
            request.nodebalancers = read_ids(devices->as_object(), "nodebalancers", reader);
        }
    }
    reader.finish();
    for (const auto id : request.linodes)
        auth::require_linode(ctx.tx(), ctx.caller(), id, Permission::read_write);
    for (const auto id : request.nodebalancers) require_nodebalancer(ctx, id);
    auto firewall = firewalls::create(ctx.tx(), actor_of(ctx), request);
    auth::grant_creator(ctx.tx(), ctx.caller(), "firewall", firewall.id);
    return document(ctx, firewall);
}

http::Response update(http::Context& ctx) {
    auto firewall = firewall_of(ctx, Permission::read_write);
    const auto was = firewall;
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (auto label = reader.string("label")) {
        if (auto problem = firewalls::label_problem(*label))
            reader.fail("label", *problem);
        else
            firewall.label = *label;
    }
    if (auto tags = reader.string_list("tags", kTag)) firewall.tags = *tags;
    if (auto status = reader.string("status")) {
        if (*status != "enabled" && *status != "disabled")
            reader.fail("status", "status must be enabled or disabled");
        else
            firewall.status = *status;
    }
    reader.finish();
    firewalls::update(ctx.tx(), actor_of(ctx), firewall, was);
    return document(ctx, firewall);
}

http::Response remove(http::Context& ctx) {
    const auto firewall = firewall_of(ctx, Permission::read_write);
    firewalls::remove(ctx.tx(), actor_of(ctx), firewall);
    return http::Response::json("{}");
}

http::Response rules(http::Context& ctx) {
    const auto firewall = firewall_of(ctx, Permission::read_only);
    return http::Response::json(
        to_json(firewalls::render_rules(firewall.rules, firewall.rules_version)));
}

http::Response replace_rules(http::Context& ctx) {
    auto firewall = firewall_of(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    // Policies left out keep their values; lists left out are empty.
    json::object given = body;
    if (!given.contains("inbound_policy")) given["inbound_policy"] = firewall.rules.inbound_policy;
    if (!given.contains("outbound_policy"))
        given["outbound_policy"] = firewall.rules.outbound_policy;
    auto next = read_rules(given, "", true, reader);
    reader.finish();
    firewalls::replace_rules(ctx.tx(), actor_of(ctx), firewall, next);
    return http::Response::json(
        to_json(firewalls::render_rules(firewall.rules, firewall.rules_version)));
}

http::Response rules_version(http::Context& ctx) {
    const auto firewall = firewall_of(ctx, Permission::read_only);
    const std::int64_t version = id_param(ctx, "version");
    auto found = firewalls::FirewallRepository(ctx.tx()).rules_version(firewall.id, version);
    if (!found) throw errors::not_found();
    return http::Response::json(to_json(firewalls::render_rules(found->rules, found->version)));
}

http::Response add_device(http::Context& ctx) {
    const auto firewall = firewall_of(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto id = reader.integer("id", true);
    const auto type = reader.string("type", {true});
    if (type && *type != "linode" && *type != "nodebalancer")
        reader.fail("type", "type must be linode or nodebalancer");
    reader.finish();
    if (*type == "linode")
        auth::require_linode(ctx.tx(), ctx.caller(), *id, Permission::read_write);
    else
        require_nodebalancer(ctx, *id);
    auto device = firewalls::add_device(ctx.tx(), actor_of(ctx), firewall, *type, *id);
    return http::Response::json(firewalls::render(device));
}

firewalls::Device device_of(http::Context& ctx, const firewalls::Firewall& firewall) {
    auto device =
        firewalls::FirewallRepository(ctx.tx()).find_device(firewall.id, id_param(ctx, "deviceId"));
    if (!device) throw errors::not_found();
    return *device;
}

http::Response remove_device(http::Context& ctx) {
    const auto firewall = firewall_of(ctx, Permission::read_write);
    const auto device = device_of(ctx, firewall);
    firewalls::remove_device(ctx.tx(), actor_of(ctx), firewall, device);
    return http::Response::json("{}");
}

}  // namespace

void register_firewalls(http::Router& router, const Environment& env) {
    using auth::Requirement;
    // A change reaches the workers of this process at once (others hear of it from the store).
    const auto waking = [&env](http::Response (*handler)(http::Context&)) {
        return [&env, handler](http::Context& ctx) {
            auto response = handler(ctx);
            ctx.after_commit.push_back(env.wake_workers);
            return response;
        };
    };
    const auto ro = Requirement::of("firewall:read_only");
    const auto rw = Requirement::of("firewall:read_write");
    const std::string one = "/networking/firewalls/{firewallId}";
    router.add("GET", "/networking/firewalls", "get-firewalls", ro, [](http::Context& ctx) {
        return list(ctx, firewalls::FirewallRepository::listing(
                             auth::visible_entities(ctx.caller(), "firewall")));
    });
    router.add("POST", "/networking/firewalls", "post-firewalls", rw, waking(create));
    router.add("GET", one, "get-firewall", ro, [](http::Context& ctx) {
        return document(ctx, firewall_of(ctx, Permission::read_only));
    });
    router.add("PUT", one, "put-firewall", rw, waking(update));
    router.add("DELETE", one, "delete-firewall", rw, waking(remove));
    router.add("GET", one + "/rules", "get-firewall-rules", ro, rules);
    router.add("PUT", one + "/rules", "put-firewall-rules", rw, waking(replace_rules));
    router.add("GET", one + "/history", "get-firewall-rule-versions", ro, [](http::Context& ctx) {
        const auto firewall = firewall_of(ctx, Permission::read_only);
        return list(ctx, firewalls::FirewallRepository::history(firewall.id));
    });
    router.add("GET", one + "/history/rules/{version}", "get-firewall-rule-version", ro,
               rules_version);
    router.add("GET", one + "/devices", "get-firewall-devices", ro, [](http::Context& ctx) {
        const auto firewall = firewall_of(ctx, Permission::read_only);
        return list(ctx, firewalls::FirewallRepository::device_listing(firewall.id));
    });
    router.add("POST", one + "/devices", "post-firewall-device", rw, waking(add_device));
    router.add("GET", one + "/devices/{deviceId}", "get-firewall-device", ro,
               [](http::Context& ctx) {
                   const auto firewall = firewall_of(ctx, Permission::read_only);
                   return http::Response::json(firewalls::render(device_of(ctx, firewall)));
               });
    router.add("DELETE", one + "/devices/{deviceId}", "delete-firewall-device", rw,
               waking(remove_device));

    const std::string linode = "/linode/instances/{linodeId}/firewalls";
    router.add("GET", linode, "get-linode-firewalls", Requirement::of("linodes:read_only"),
               [](http::Context& ctx) {
                   const auto l = linode_of(ctx);
                   return list(ctx, firewalls::FirewallRepository::of_linode_listing(
                                        l.id, auth::visible_entities(ctx.caller(), "firewall")));
               });
    router.add("POST", linode + "/apply", "post-apply-firewalls",
               Requirement::of("linodes:read_write"), [&env](http::Context& ctx) {
                   const auto l = linode_of(ctx);
                   firewalls::apply(ctx.tx(), actor_of(ctx), l.id, l.label);
                   ctx.after_commit.push_back(env.wake_workers);
                   return http::Response::json("{}");
               });
}

}  // namespace linnet::api
