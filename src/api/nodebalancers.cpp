// /nodebalancers: NodeBalancers, their configs (ports) and nodes (backends), config rebuild,
// their firewalls and statistics, the types and prices; and the NodeBalancers of a Linode.
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "billing/prices.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "firewalls/firewall_repository.hpp"
#include "jobs/jobs.hpp"
#include "nodebalancers/nodebalancers.hpp"
#include "store/inline_table.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;
using nodebalancers::NodeBalancerRepository;

const StringRule kTag{false, 1, 50};

nodebalancers::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

nodebalancers::Settings settings_of(const Environment& env) {
    return {env.ipv4_pool, env.loopback_nodes};
}

// The NodeBalancer the path names, with the caller's permission on it checked.
nodebalancers::NodeBalancer nodebalancer_of(http::Context& ctx, Permission need) {
    const std::int64_t id = id_param(ctx, "nodeBalancerId");
    auto nb = NodeBalancerRepository(ctx.tx()).find(id);
    auth::require_entity(ctx.tx(), ctx.caller(), "nodebalancer", id, need, nb.has_value());
    if (!nb) throw errors::not_found();
    return *nb;
}

nodebalancers::Config config_of(http::Context& ctx, const nodebalancers::NodeBalancer& nb) {
    auto config = NodeBalancerRepository(ctx.tx()).find_config(nb.id, id_param(ctx, "configId"));
    if (!config) throw errors::not_found();
    return *config;
}

nodebalancers::Node node_of(http::Context& ctx, const nodebalancers::Config& config) {
    auto node = NodeBalancerRepository(ctx.tx()).find_node(config.id, id_param(ctx, "nodeId"));
    if (!node) throw errors::not_found();
    return *node;
}

// The document with this month's transfer, as the list shows it.
http::Response document(http::Context& ctx, const nodebalancers::NodeBalancer& nb) {
    auto listing = NodeBalancerRepository::listing({"1=1", {}});
    auto doc = store::read_one(ctx.tx(), listing, "id", nb.id);
    if (!doc) throw errors::not_found();
    return http::Response::json(*doc);
}

void throw_if(std::vector<ErrorDetail>& problems) {
    if (!problems.empty()) throw errors::invalid(std::move(problems));
}

http::Response create(http::Context& ctx, const Environment& env) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_nodebalancers");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    nodebalancers::NewNodeBalancer request;
    request.region = reader.string("region", {true}).value_or("");
    request.label = reader.string("label");
    if (auto throttle = reader.integer("client_conn_throttle")) {
        if (*throttle < 0 || *throttle > 20)
            reader.fail("client_conn_throttle", "client_conn_throttle must be from 0 to 20");
        else
            request.client_conn_throttle = *throttle;
    }
    request.tags = reader.string_list("tags", kTag).value_or(std::vector<std::string>{});
    request.firewall_id = reader.integer("firewall_id");
    std::vector<ErrorDetail> problems;
    if (const auto* configs = body.if_contains("configs"); configs && !configs->is_null()) {
        if (!configs->is_array()) {
            reader.fail("configs", "configs must be a list of configs");
        } else {
            for (std::size_t i = 0; i < configs->as_array().size(); ++i) {
                const auto& item = configs->as_array()[i];
                const std::string prefix = "configs[" + std::to_string(i) + "]";
                if (!item.is_object()) {
                    problems.push_back({prefix + " must be a config", prefix});
                    continue;
                }
                nodebalancers::ConfigRequest config;
                nodebalancers::read_config(item.as_object(), prefix, true, config, problems);
                request.configs.push_back(std::move(config));
            }
        }
    }
    for (auto& p : problems) reader.fail(p.field.value_or(""), p.reason);
    reader.finish();
    if (request.firewall_id) {
        const bool exists =
            firewalls::FirewallRepository(ctx.tx()).find(*request.firewall_id).has_value();
        if (exists)
            auth::require_entity(ctx.tx(), ctx.caller(), "firewall", *request.firewall_id,
                                 Permission::read_write, true);
    }
    auto nb = nodebalancers::create(ctx.tx(), actor_of(ctx), settings_of(env), request);
    auth::grant_creator(ctx.tx(), ctx.caller(), "nodebalancer", nb.id);
    return document(ctx, nb);
}

http::Response update(http::Context& ctx) {
    auto nb = nodebalancer_of(ctx, Permission::read_write);
    const auto was = nb;
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (auto label = reader.string("label")) nb.label = *label;
    if (auto throttle = reader.integer("client_conn_throttle")) {
        if (*throttle < 0 || *throttle > 20)
            reader.fail("client_conn_throttle", "client_conn_throttle must be from 0 to 20");
        else
            nb.client_conn_throttle = *throttle;
    }
    if (auto tags = reader.string_list("tags", kTag)) nb.tags = *tags;
    reader.finish();
    nodebalancers::update(ctx.tx(), actor_of(ctx), nb, was);
    return document(ctx, nb);
}

http::Response remove(http::Context& ctx) {
    const auto nb = nodebalancer_of(ctx, Permission::read_write);
    nodebalancers::remove(ctx.tx(), actor_of(ctx), nb);
    return http::Response::json("{}");
}

http::Response create_config(http::Context& ctx, const Environment& env) {
    const auto nb = nodebalancer_of(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    std::vector<ErrorDetail> problems;
    nodebalancers::ConfigRequest request;
    nodebalancers::read_config(body, "", true, request, problems);
    throw_if(problems);
    auto config =
        nodebalancers::create_config(ctx.tx(), actor_of(ctx), settings_of(env), nb, request);
    return http::Response::json(nodebalancers::render(config));
}

// A protocol other than https drops the certificate it no longer serves, unless the request
// gives one (which is then refused).
void drop_unserved_certificate(const json::object& body, nodebalancers::Config& config) {
    if (config.protocol == "https") return;
    for (const char* key : {"ssl_cert", "ssl_key"}) {
        const auto* v = body.if_contains(key);
        if (v && v->is_string() && v->as_string() != "<REDACTED>") return;
    }
    config.ssl_cert.reset();
    config.ssl_key.reset();
}

http::Response update_config(http::Context& ctx) {
    const auto nb = nodebalancer_of(ctx, Permission::read_write);
    nodebalancers::ConfigRequest request;
    request.config = config_of(ctx, nb);
    const json::object body = parse_body(ctx.request.body);
    std::vector<ErrorDetail> problems;
    nodebalancers::read_config(body, "", false, request, problems);
    throw_if(problems);
    drop_unserved_certificate(body, request.config);
    auto config = nodebalancers::update_config(ctx.tx(), actor_of(ctx), nb, request.config);
    return http::Response::json(nodebalancers::render(config));
}

http::Response rebuild_config(http::Context& ctx, const Environment& env) {
    const auto nb = nodebalancer_of(ctx, Permission::read_write);
    nodebalancers::ConfigRequest request;
    request.config = config_of(ctx, nb);
    const json::object body = parse_body(ctx.request.body);
    std::vector<ErrorDetail> problems;
    nodebalancers::read_config(body, "", true, request, problems);
    if (!body.contains("nodes")) problems.push_back({"nodes is required", "nodes"});
    throw_if(problems);
    drop_unserved_certificate(body, request.config);
    auto config =
        nodebalancers::rebuild_config(ctx.tx(), actor_of(ctx), settings_of(env), nb, request);
    return http::Response::json(nodebalancers::render(config));
}

http::Response remove_config(http::Context& ctx) {
    const auto nb = nodebalancer_of(ctx, Permission::read_write);
    const auto config = config_of(ctx, nb);
    nodebalancers::remove_config(ctx.tx(), actor_of(ctx), nb, config);
    return http::Response::json("{}");
}

http::Response create_node(http::Context& ctx, const Environment& env) {
    const auto nb = nodebalancer_of(ctx, Permission::read_write);
    const auto config = config_of(ctx, nb);
    const json::object body = parse_body(ctx.request.body);
    std::vector<ErrorDetail> problems;
    nodebalancers::Node node;
    nodebalancers::read_node(body, "", true, node, problems);
    throw_if(problems);
    auto created =
        nodebalancers::create_node(ctx.tx(), actor_of(ctx), settings_of(env), nb, config, node);
    return http::Response::json(nodebalancers::render(created));
}

http::Response update_node(http::Context& ctx, const Environment& env) {
    const auto nb = nodebalancer_of(ctx, Permission::read_write);
    const auto config = config_of(ctx, nb);
    const auto was = node_of(ctx, config);
    auto node = was;
    const json::object body = parse_body(ctx.request.body);
    std::vector<ErrorDetail> problems;
    nodebalancers::read_node(body, "", false, node, problems);
    throw_if(problems);
    auto updated =
        nodebalancers::update_node(ctx.tx(), actor_of(ctx), settings_of(env), nb, node, was);
    return http::Response::json(nodebalancers::render(updated));
}

http::Response remove_node(http::Context& ctx) {
    const auto nb = nodebalancer_of(ctx, Permission::read_write);
    const auto config = config_of(ctx, nb);
    const auto node = node_of(ctx, config);
    nodebalancers::remove_node(ctx.tx(), actor_of(ctx), nb, node);
    return http::Response::json("{}");
}

// The one type of NodeBalancer and its prices, as the catalog of Linode prices it.
const filter::Schema kTypes{{}, "sort"};

store::Listing nodebalancer_types() {
    return store::Listing{
        store::inline_table("nodebalancer_types", {"sort", "doc"},
                            {{std::int64_t{0}, to_json(billing::nodebalancer_type())}}),
        kTypes};
}

}  // namespace

void register_nodebalancers(http::Router& router, const Environment& env) {
    using auth::Requirement;
    // A change reaches the workers of this process at once (others hear of it from the store).
    const auto waking = [&env](auto handler) {
        return [&env, handler](http::Context& ctx) {
            auto response = handler(ctx);
            ctx.after_commit.push_back(env.wake_workers);
            return response;
        };
    };
    const auto ro = Requirement::of("nodebalancers:read_only");
    const auto rw = Requirement::of("nodebalancers:read_write");
    const std::string one = "/nodebalancers/{nodeBalancerId}";
    const std::string config = one + "/configs/{configId}";
    const std::string node = config + "/nodes/{nodeId}";
    router.add("GET", "/nodebalancers", "get-node-balancers", ro, [](http::Context& ctx) {
        return list(ctx, NodeBalancerRepository::listing(
                             auth::visible_entities(ctx.caller(), "nodebalancer")));
    });
    router.add("POST", "/nodebalancers", "post-node-balancer", rw,
               waking([&env](http::Context& ctx) { return create(ctx, env); }));
    router.add(
        "GET", "/nodebalancers/types", "get-node-balancer-types", Requirement::open(),
        [](http::Context& ctx) { return list(ctx, nodebalancer_types()); }, true);
    router.add("GET", one, "get-node-balancer", ro, [](http::Context& ctx) {
        return document(ctx, nodebalancer_of(ctx, Permission::read_only));
    });
    router.add("PUT", one, "put-node-balancer", rw, waking(update));
    router.add("DELETE", one, "delete-node-balancer", rw, waking(remove));
    router.add("GET", one + "/configs", "get-node-balancer-configs", ro, [](http::Context& ctx) {
        const auto nb = nodebalancer_of(ctx, Permission::read_only);
        return list(ctx, NodeBalancerRepository::config_listing(nb.id));
    });
    router.add("POST", one + "/configs", "post-node-balancer-config", rw,
               waking([&env](http::Context& ctx) { return create_config(ctx, env); }));
    router.add("GET", config, "get-node-balancer-config", ro, [](http::Context& ctx) {
        const auto nb = nodebalancer_of(ctx, Permission::read_only);
        return http::Response::json(nodebalancers::render(config_of(ctx, nb)));
    });
    router.add("PUT", config, "put-node-balancer-config", rw, waking(update_config));
    router.add("DELETE", config, "delete-node-balancer-config", rw, waking(remove_config));
    router.add("POST", config + "/rebuild", "post-rebuild-node-balancer-config", rw,
               waking([&env](http::Context& ctx) { return rebuild_config(ctx, env); }));
    router.add("GET", config + "/nodes", "get-node-balancer-config-nodes", ro,
               [](http::Context& ctx) {
                   const auto nb = nodebalancer_of(ctx, Permission::read_only);
                   const auto c = config_of(ctx, nb);
                   return list(ctx, NodeBalancerRepository::node_listing(nb.id, c.id));
               });
    router.add("POST", config + "/nodes", "post-node-balancer-node", rw,
               waking([&env](http::Context& ctx) { return create_node(ctx, env); }));
    // The spec asks read_write of this read.
    router.add("GET", node, "get-node-balancer-node", rw, [](http::Context& ctx) {
        const auto nb = nodebalancer_of(ctx, Permission::read_only);
        return http::Response::json(nodebalancers::render(node_of(ctx, config_of(ctx, nb))));
    });
    router.add("PUT", node, "put-node-balancer-node", rw,
               waking([&env](http::Context& ctx) { return update_node(ctx, env); }));
    router.add("DELETE", node, "delete-node-balancer-config-node", rw, waking(remove_node));
    router.add("GET", one + "/firewalls", "get-node-balancer-firewalls", ro,
               [](http::Context& ctx) {
                   const auto nb = nodebalancer_of(ctx, Permission::read_only);
                   return list(ctx, firewalls::FirewallRepository::of_nodebalancer_listing(
                                        nb.id, auth::visible_entities(ctx.caller(), "firewall")));
               });
    router.add("GET", one + "/stats", "get-node-balancer-stats", ro, [](http::Context& ctx) {
        const auto nb = nodebalancer_of(ctx, Permission::read_only);
        return http::Response::json(nodebalancers::stats(ctx.tx(), nb, jobs::now_ms()));
    });
    router.add("GET", "/linode/instances/{linodeId}/nodebalancers", "get-linode-node-balancers",
               Requirement::of("linodes:read_only"), [](http::Context& ctx) {
                   const auto l = linode_of(ctx);
                   return list(ctx,
                               NodeBalancerRepository::of_linode_listing(
                                   l.id, auth::visible_entities(ctx.caller(), "nodebalancer")));
               });
}

}  // namespace linnet::api
