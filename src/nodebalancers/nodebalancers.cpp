// A NodeBalancer's changes, their checks and their events.
#include "nodebalancers/nodebalancers.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <set>

#include "billing/meter.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "firewalls/firewall_repository.hpp"
#include "firewalls/firewalls.hpp"
#include "hosts/host_repository.hpp"
#include "jobs/jobs.hpp"
#include "nodebalancers/certificate.hpp"
#include "tags/tag_repository.hpp"

namespace linnet::nodebalancers {

namespace {

namespace json = boost::json;

// Records the change's event; the hosts' load balancers look again once the change commits.
void notify(store::Transaction& tx, const Actor& actor, const std::string& action,
            const NodeBalancer& nb) {
    tx.notify(jobs::kJobsChannel);
    jobs::record_event(tx, {action, nodebalancer_entity(nb), std::nullopt, "notification",
                            actor.user_id, actor.username, ""});
}

bool label_ok(const std::string& label, bool dots) {
    if (label.size() < 3 || label.size() > 32) return false;
    return std::all_of(label.begin(), label.end(), [dots](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
               (dots && c == '.');
    });
}

void record_tags(store::Transaction& tx, const std::vector<std::string>& tags) {
    tags::TagRepository repo(tx);
    for (const auto& tag : tags) repo.add(tag);
}

// Field readers over a JSON object, naming `prefix.key` in what they report.
class Fields {
  public:
    Fields(const json::object& body, std::string prefix, std::vector<ErrorDetail>& problems)
        : body_(body), prefix_(std::move(prefix)), problems_(problems) {}

    std::string field(std::string_view key) const {
        return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
    }
    void fail(std::string_view key, std::string reason) {
        problems_.push_back({std::move(reason), field(key)});
    }
    // The value when present and not null.
    const json::value* get(std::string_view key) const {
        const auto* v = body_.if_contains(key);
        return v && !v->is_null() ? v : nullptr;
    }
    void integer(std::string_view key, std::int64_t& into, std::int64_t min, std::int64_t max) {
        const auto* v = get(key);
        if (!v) return;
        if (!v->is_int64() || v->as_int64() < min || v->as_int64() > max)
            return fail(key, field(key) + " must be an integer from " + std::to_string(min) +
                                 " to " + std::to_string(max));
        into = v->as_int64();
    }
    void choice(std::string_view key, std::string& into, std::initializer_list<const char*> of) {
        const auto* v = get(key);
        if (!v) return;
        std::string allowed;
        for (const char* o : of) {
            if (v->is_string() && v->as_string() == o) {
                into = o;
                return;
            }
            allowed += allowed.empty() ? o : std::string(", ") + o;
        }
        fail(key, field(key) + " must be one of " + allowed);
    }
    void boolean(std::string_view key, bool& into) {
        const auto* v = get(key);
        if (!v) return;
        if (!v->is_bool()) return fail(key, field(key) + " must be a boolean");
        into = v->as_bool();
    }
    // A string; `present` tells whether the key was there at all (null counts: it clears).
    bool text(std::string_view key, std::optional<std::string>& into, std::size_t max) {
        const auto* v = body_.if_contains(key);
        if (!v) return false;
        if (v->is_null()) {
            into.reset();
            return true;
        }
        if (!v->is_string() || v->as_string().size() > max) {
            fail(key,
                 field(key) + " must be text of at most " + std::to_string(max) + " characters");
            return false;
        }
        into = std::string(v->as_string());
        return true;
    }

  private:
    const json::object& body_;
    std::string prefix_;
    std::vector<ErrorDetail>& problems_;
};

// Whether `text` is "IPv4:port"; the address and port when it is.
bool split_address(const std::string& text, std::uint32_t& address, int& port) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    in_addr a{};
    if (inet_pton(AF_INET, text.substr(0, colon).c_str(), &a) != 1) return false;
    const std::string p = text.substr(colon + 1);
    if (p.empty() || p.size() > 5 || !std::all_of(p.begin(), p.end(), ::isdigit)) return false;
    if (p.size() > 1 && p.front() == '0') return false;
    port = std::stoi(p);
    if (port < 1 || port > 65535) return false;
    address = ntohl(a.s_addr);
    return true;
}

// The reason a node's address cannot be one, or nullopt.
std::optional<std::string> address_problem(store::Transaction& tx, const Settings& settings,
                                           const std::string& region, const std::string& address) {
    std::uint32_t ip = 0;
    int port = 0;
    if (!split_address(address, ip, port))
        return "address must be a private IPv4 address and a port, as 192.168.130.4:80";
    const bool loopback = (ip >> 24) == 127;
    const bool is_private = (ip >> 16) == ((192u << 8) | 168u);
    if (loopback && settings.loopback_nodes) return std::nullopt;
    if (!is_private)
        return settings.loopback_nodes
                   ? "address must be a private IPv4 address of a Linode (192.168.0.0/16) or, "
                     "on this server's loopback networking, an address of 127.0.0.0/8"
                   : "address must be a private IPv4 address of a Linode (192.168.0.0/16)";
    if (!NodeBalancerRepository(tx).is_private_linode_address(address.substr(0, address.rfind(':')),
                                                              region))
        return "address must be the private address of one of your Linodes in " + region;
    return std::nullopt;
}

// Checks what a config's fields must agree on.
void check_config(const Config& c, const std::string& prefix, std::vector<ErrorDetail>& problems) {
    const auto field = [&](const char* key) {
        return prefix.empty() ? std::string(key) : prefix + "." + key;
    };
    if (c.check_interval <= c.check_timeout)
        problems.push_back(
            {"check_interval must be greater than check_timeout", field("check_interval")});
    if ((c.check == "http" || c.check == "http_body") && c.protocol == "tcp")
        problems.push_back({"An http check needs protocol http or https", field("check")});
    if (c.check == "http_body" && c.check_body.empty())
        problems.push_back({"check_body is required for an http_body check", field("check_body")});
    if (c.proxy_protocol != "none" && c.protocol != "tcp")
        problems.push_back(
            {"proxy_protocol is only available with protocol tcp", field("proxy_protocol")});
    if (c.stickiness == "http_cookie" && c.protocol == "tcp")
        problems.push_back(
            {"http_cookie stickiness needs protocol http or https", field("stickiness")});
    if (c.protocol == "https") {
        if (!c.ssl_cert)
            problems.push_back({"ssl_cert is required for protocol https", field("ssl_cert")});
        if (!c.ssl_key)
            problems.push_back({"ssl_key is required for protocol https", field("ssl_key")});
    } else if (c.ssl_cert || c.ssl_key) {
        problems.push_back({"ssl_cert and ssl_key are only for protocol https",
                            field(c.ssl_cert ? "ssl_cert" : "ssl_key")});
    }
}

// Reads the certificate's facts into the config; false with a problem when it cannot serve.
void certify(Config& c, const std::string& prefix, std::vector<ErrorDetail>& problems) {
    if (!c.ssl_cert || !c.ssl_key) {
        c.ssl_commonname.clear();
        c.ssl_fingerprint.clear();
        return;
    }
    auto read = read_certificate(*c.ssl_cert, *c.ssl_key);
    if (auto* problem = std::get_if<CertificateProblem>(&read)) {
        problems.push_back(
            {problem->reason, prefix.empty() ? problem->field : prefix + "." + problem->field});
        return;
    }
    const auto& facts = std::get<CertificateFacts>(read);
    c.ssl_commonname = facts.common_name;
    c.ssl_fingerprint = facts.fingerprint;
}

// Checks a config's nodes (labels given, addresses allowed and distinct).
void check_nodes(store::Transaction& tx, const Settings& settings, const std::string& region,
                 const std::vector<Node>& nodes, const std::string& prefix,
                 std::vector<ErrorDetail>& problems) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const std::string at = prefix + "nodes[" + std::to_string(i) + "]";
        if (auto problem = address_problem(tx, settings, region, nodes[i].address))
            problems.push_back({*problem, at + ".address"});
        else if (!seen.insert(nodes[i].address).second)
            problems.push_back({"A config's nodes must have different addresses", at + ".address"});
    }
}

void insert_nodes(NodeBalancerRepository& repo, std::int64_t config_id, std::vector<Node>& nodes) {
    for (auto& n : nodes) {
        n.config_id = config_id;
        n.status = "unknown";
        n.id = repo.insert_node(n);
    }
}

}  // namespace

jobs::Entity nodebalancer_entity(const NodeBalancer& nb) {
    return {nb.id, "nodebalancer", nb.label, "/v4/nodebalancers/" + std::to_string(nb.id)};
}

void read_node(const json::object& body, const std::string& prefix, bool require, Node& into,
               std::vector<ErrorDetail>& problems) {
    Fields f(body, prefix, problems);
    std::optional<std::string> label, address;
    if (f.text("label", label, 32) && label) {
        if (!label_ok(*label, true))
            f.fail("label",
                   "label must be 3-32 letters, numbers, hyphens, underscores and periods");
        else
            into.label = *label;
    } else if (require && !label) {
        f.fail("label", "label is required");
    }
    if (f.text("address", address, 64) && address)
        into.address = *address;
    else if (require && !address)
        f.fail("address", "address is required");
    f.integer("weight", into.weight, 1, 255);
    f.choice("mode", into.mode, {"accept", "reject", "drain", "backup"});
}

void read_config(const json::object& body, const std::string& prefix, bool with_nodes,
                 ConfigRequest& request, std::vector<ErrorDetail>& problems) {
    Fields f(body, prefix, problems);
    Config& c = request.config;
    f.integer("port", c.port, 1, 65535);
    f.choice("protocol", c.protocol, {"http", "https", "tcp"});
    f.choice("algorithm", c.algorithm, {"roundrobin", "leastconn", "source"});
    f.choice("stickiness", c.stickiness, {"none", "table", "http_cookie"});
    f.choice("check", c.check, {"none", "connection", "http", "http_body"});
    f.integer("check_interval", c.check_interval, 2, 3600);
    f.integer("check_timeout", c.check_timeout, 1, 30);
    f.integer("check_attempts", c.check_attempts, 1, 30);
    std::optional<std::string> text;
    if (f.text("check_path", text, 255)) {
        const std::string path = text.value_or("");
        const bool ok = std::all_of(path.begin(), path.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) ||
                   std::string_view("/-%?&=.").find(ch) != std::string_view::npos;
        });
        if (!ok || (!path.empty() && path.front() != '/'))
            f.fail("check_path",
                   "check_path must be a path beginning with / of letters, numbers and /-%?&=.");
        else
            c.check_path = path;
    }
    text.reset();
    if (f.text("check_body", text, 255)) {
        const std::string b = text.value_or("");
        if (std::any_of(b.begin(), b.end(),
                        [](char ch) { return static_cast<unsigned char>(ch) < 0x20; }))
            f.fail("check_body", "check_body must be one line of text");
        else
            c.check_body = b;
    }
    f.boolean("check_passive", c.check_passive);
    f.choice("proxy_protocol", c.proxy_protocol, {"none", "v1", "v2"});
    f.choice("cipher_suite", c.cipher_suite, {"recommended", "legacy"});
    // What a GET shows of a certificate ("<REDACTED>") sent back keeps the one the config has.
    for (const auto& [key, into] : {std::pair{"ssl_cert", &c.ssl_cert}, {"ssl_key", &c.ssl_key}}) {
        const auto* v = body.if_contains(key);
        if (v && v->is_string() && v->as_string() == "<REDACTED>") continue;
        f.text(key, *into, 64 * 1024);
    }
    if (!with_nodes) return;
    const auto* nodes = f.get("nodes");
    if (!nodes) return;
    if (!nodes->is_array()) return f.fail("nodes", f.field("nodes") + " must be a list of nodes");
    const std::string at = prefix.empty() ? "nodes" : prefix + ".nodes";
    for (std::size_t i = 0; i < nodes->as_array().size(); ++i) {
        const auto& item = nodes->as_array()[i];
        const std::string node_prefix = at + "[" + std::to_string(i) + "]";
        if (!item.is_object()) {
            problems.push_back({node_prefix + " must be a node", node_prefix});
            continue;
        }
        Node n;
        std::int64_t id = 0;
        if (const auto* given = item.as_object().if_contains("id"); given && !given->is_null()) {
            if (!given->is_int64())
                problems.push_back({node_prefix + ".id must be a node's id", node_prefix + ".id"});
            else
                id = given->as_int64();
        }
        read_node(item.as_object(), node_prefix, id == 0, n, problems);
        request.nodes.push_back(std::move(n));
        request.node_ids.push_back(id);
        request.node_bodies.push_back(item.as_object());
    }
}

NodeBalancer create(store::Transaction& tx, const Actor& actor, const Settings& settings,
                    NewNodeBalancer request) {
    std::vector<ErrorDetail> problems;
    NodeBalancerRepository repo(tx);
    auto capabilities = catalog::CatalogRepository(tx).find_region_capabilities(request.region);
    if (!capabilities)
        problems.push_back({"region is not valid", "region"});
    else if (!capabilities->has("NodeBalancers"))
        problems.push_back({"NodeBalancers are not available in this region", "region"});
    if (request.label) {
        if (!label_ok(*request.label, false))
            problems.push_back(
                {"label must be 3-32 letters, numbers, hyphens and underscores", "label"});
        else if (repo.label_taken(*request.label, 0))
            problems.push_back({"Label must be unique among your NodeBalancers", "label"});
    }
    std::set<std::int64_t> ports;
    for (std::size_t i = 0; i < request.configs.size(); ++i) {
        auto& c = request.configs[i];
        const std::string prefix = "configs[" + std::to_string(i) + "]";
        check_config(c.config, prefix, problems);
        certify(c.config, prefix, problems);
        if (!ports.insert(c.config.port).second)
            problems.push_back({"Each config must have a different port", prefix + ".port"});
        check_nodes(tx, settings, request.region, c.nodes, prefix + ".", problems);
    }
    std::optional<firewalls::Firewall> firewall;
    if (request.firewall_id) {
        firewall = firewalls::FirewallRepository(tx).find(*request.firewall_id);
        if (!firewall) problems.push_back({"Firewall not found", "firewall_id"});
    }
    if (!problems.empty()) throw errors::invalid(std::move(problems));

    // The load balancer of a live host of the region serves it.
    auto host = hosts::HostRepository(tx).roomiest(request.region, 0, 0, jobs::now_ms());
    if (!host) throw errors::bad_request("No host serves NodeBalancers in this region", "region");
    NodeBalancer nb;
    nb.label = request.label.value_or("");
    nb.region = request.region;
    nb.host_id = host->id;
    nb.client_conn_throttle = request.client_conn_throttle;
    nb.tags = request.tags;
    // Until it has an id to be named after, a label no one else has.
    if (!request.label) nb.label = "\x01pending-" + std::to_string(std::random_device{}());
    nb.id = repo.insert(nb);
    if (!request.label) {
        // Named after its id, as Linode names it, unless the account has that label already.
        nb.label = "balancer" + std::to_string(nb.id);
        for (int n = 1; repo.label_taken(nb.label, nb.id); ++n)
            nb.label = "balancer" + std::to_string(nb.id) + "-" + std::to_string(n);
        repo.save(nb);
    }
    record_tags(tx, nb.tags);
    linodes::allocate_nodebalancer_address(tx, settings.pool, nb.id, nb.region);
    for (auto& c : request.configs) {
        c.config.nodebalancer_id = nb.id;
        c.config.id = repo.insert_config(c.config);
        insert_nodes(repo, c.config.id, c.nodes);
    }
    nb = repo.find(nb.id).value();
    billing::meter(tx, nb);
    notify(tx, actor, "nodebalancer_create", nb);
    if (firewall)
        firewalls::add_device(tx, {actor.user_id, actor.username}, *firewall, "nodebalancer",
                              nb.id);
    return nb;
}

void update(store::Transaction& tx, const Actor& actor, NodeBalancer& nb, const NodeBalancer& was) {
    NodeBalancerRepository repo(tx);
    if (nb.label != was.label) {
        if (!label_ok(nb.label, false))
            throw errors::bad_request(
                "label must be 3-32 letters, numbers, hyphens and underscores", "label");
        if (repo.label_taken(nb.label, nb.id))
            throw errors::bad_request("Label must be unique among your NodeBalancers", "label");
    }
    record_tags(tx, nb.tags);
    repo.save(nb);
    notify(tx, actor, "nodebalancer_update", nb);
}

void remove(store::Transaction& tx, const Actor& actor, const NodeBalancer& nb) {
    notify(tx, actor, "nodebalancer_delete", nb);
    firewalls::FirewallRepository(tx).remove_devices_of("nodebalancer", nb.id);
    NodeBalancerRepository(tx).remove(nb.id);
    billing::stop(tx, "nodebalancer", nb.id);
}

Config create_config(store::Transaction& tx, const Actor& actor, const Settings& settings,
                     const NodeBalancer& nb, ConfigRequest request) {
    std::vector<ErrorDetail> problems;
    NodeBalancerRepository repo(tx);
    auto& c = request.config;
    check_config(c, "", problems);
    certify(c, "", problems);
    if (repo.port_taken(nb.id, c.port, 0))
        problems.push_back({"Port " + std::to_string(c.port) + " is already in use", "port"});
    check_nodes(tx, settings, nb.region, request.nodes, "", problems);
    if (!problems.empty()) throw errors::invalid(std::move(problems));
    c.nodebalancer_id = nb.id;
    c.id = repo.insert_config(c);
    insert_nodes(repo, c.id, request.nodes);
    notify(tx, actor, "nodebalancer_config_create", nb);
    return repo.find_config(nb.id, c.id).value();
}

Config update_config(store::Transaction& tx, const Actor& actor, const NodeBalancer& nb,
                     Config config) {
    std::vector<ErrorDetail> problems;
    NodeBalancerRepository repo(tx);
    check_config(config, "", problems);
    certify(config, "", problems);
    if (repo.port_taken(nb.id, config.port, config.id))
        problems.push_back({"Port " + std::to_string(config.port) + " is already in use", "port"});
    if (!problems.empty()) throw errors::invalid(std::move(problems));
    repo.save_config(config);
    notify(tx, actor, "nodebalancer_config_update", nb);
    return repo.find_config(nb.id, config.id).value();
}

Config rebuild_config(store::Transaction& tx, const Actor& actor, const Settings& settings,
                      const NodeBalancer& nb, ConfigRequest request) {
    std::vector<ErrorDetail> problems;
    NodeBalancerRepository repo(tx);
    auto& c = request.config;
    check_config(c, "", problems);
    certify(c, "", problems);
    if (repo.port_taken(nb.id, c.port, c.id))
        problems.push_back({"Port " + std::to_string(c.port) + " is already in use", "port"});
    // Named nodes are the config's own, changed by what the request gives.
    const auto current = repo.nodes_of(c.id);
    for (std::size_t i = 0; i < request.nodes.size(); ++i) {
        if (request.node_ids[i] == 0) continue;
        const auto it = std::find_if(current.begin(), current.end(),
                                     [&](const Node& n) { return n.id == request.node_ids[i]; });
        const std::string at = "nodes[" + std::to_string(i) + "]";
        if (it == current.end()) {
            problems.push_back(
                {"Node " + std::to_string(request.node_ids[i]) + " is not a node of this config",
                 at + ".id"});
            continue;
        }
        // What the request leaves out keeps its value.
        Node merged = *it;
        read_node(request.node_bodies[i], at, false, merged, problems);
        if (merged.address != it->address) merged.status = "unknown";
        request.nodes[i] = std::move(merged);
    }
    check_nodes(tx, settings, nb.region, request.nodes, "", problems);
    if (!problems.empty()) throw errors::invalid(std::move(problems));
    repo.save_config(c);
    for (const auto& n : current)
        if (std::find(request.node_ids.begin(), request.node_ids.end(), n.id) ==
            request.node_ids.end())
            repo.remove_node(n.id);
    // Addresses are unique in a config: nodes that keep theirs are written first.
    for (auto& n : request.nodes) {
        n.config_id = c.id;
        if (n.id != 0) repo.save_node(n);
    }
    for (auto& n : request.nodes)
        if (n.id == 0) {
            n.status = "unknown";
            n.id = repo.insert_node(n);
        }
    notify(tx, actor, "nodebalancer_config_update", nb);
    return repo.find_config(nb.id, c.id).value();
}

void remove_config(store::Transaction& tx, const Actor& actor, const NodeBalancer& nb,
                   const Config& config) {
    NodeBalancerRepository(tx).remove_config(config.id);
    notify(tx, actor, "nodebalancer_config_delete", nb);
}

Node create_node(store::Transaction& tx, const Actor& actor, const Settings& settings,
                 const NodeBalancer& nb, const Config& config, Node node) {
    NodeBalancerRepository repo(tx);
    if (auto problem = address_problem(tx, settings, nb.region, node.address))
        throw errors::bad_request(*problem, "address");
    if (repo.address_taken(config.id, node.address, 0))
        throw errors::bad_request("This config already has a node at " + node.address, "address");
    node.config_id = config.id;
    node.status = "unknown";
    node.id = repo.insert_node(node);
    notify(tx, actor, "nodebalancer_node_create", nb);
    return repo.find_node(config.id, node.id).value();
}

Node update_node(store::Transaction& tx, const Actor& actor, const Settings& settings,
                 const NodeBalancer& nb, Node node, const Node& was) {
    NodeBalancerRepository repo(tx);
    if (node.address != was.address) {
        if (auto problem = address_problem(tx, settings, nb.region, node.address))
            throw errors::bad_request(*problem, "address");
        if (repo.address_taken(node.config_id, node.address, node.id))
            throw errors::bad_request("This config already has a node at " + node.address,
                                      "address");
        node.status = "unknown";
    }
    repo.save_node(node);
    notify(tx, actor, "nodebalancer_node_update", nb);
    return repo.find_node(node.config_id, node.id).value();
}

void remove_node(store::Transaction& tx, const Actor& actor, const NodeBalancer& nb,
                 const Node& node) {
    NodeBalancerRepository(tx).remove_node(node.id);
    notify(tx, actor, "nodebalancer_node_delete", nb);
}

std::string stats(store::Transaction& tx, const NodeBalancer& nb, std::int64_t now_ms) {
    constexpr std::int64_t kBucketMs = 5 * 60 * 1000;
    const auto samples = NodeBalancerRepository(tx).samples(nb.id, now_ms - 24 * 60 * 60 * 1000);
    if (samples.empty()) throw errors::bad_request("Stats are unavailable at this time.");
    json::array connections, in, out;
    const double seconds = kBucketMs / 1000.0;
    for (const auto& s : samples) {
        connections.push_back(json::array{s.at, s.connections / seconds});
        in.push_back(json::array{s.at, s.bytes_in * 8 / seconds});
        out.push_back(json::array{s.at, s.bytes_out * 8 / seconds});
    }
    return to_json(json::object{
        {"data",
         json::object{{"connections", std::move(connections)},
                      {"traffic", json::object{{"in", std::move(in)}, {"out", std::move(out)}}}}},
        {"title", "linnet - " + nb.label + " (" + std::to_string(nb.id) + ") - day (5 min avg)"}});
}

}  // namespace linnet::nodebalancers
