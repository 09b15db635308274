// The rules of a NodeBalancer's life: its label, region, host and address; its configs (one per
// port) and their nodes, each change checked as Linode checks it (400 naming the field); the
// firewall it may be created with; and the events each change records.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jobs/events.hpp"
#include "linodes/addresses.hpp"
#include "nodebalancers/nodebalancer_repository.hpp"

namespace linnet::nodebalancers {

// Who asked, for events.
struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

// What the server's networking lets a node be: a Linode's private address (192.168.0.0/16) and,
// on loopback networking, any address of 127.0.0.0/8.
struct Settings {
    linodes::Ipv4Pool pool = linodes::Ipv4Pool::parse("198.18.0.0/15");
    bool loopback_nodes = true;
};

// A config with its nodes, as a create or rebuild gives them.
struct ConfigRequest {
    Config config;
    std::vector<Node> nodes;
    // Rebuild: the ids of the nodes the request names (0: a new node), by position in `nodes`,
    // and what the request gave of each (a named node keeps what it leaves out).
    std::vector<std::int64_t> node_ids;
    std::vector<boost::json::object> node_bodies;
};

struct NewNodeBalancer {
    std::optional<std::string> label;
    std::string region;
    std::int64_t client_conn_throttle = 0;
    std::vector<std::string> tags;
    std::optional<std::int64_t> firewall_id;
    std::vector<ConfigRequest> configs;
};

jobs::Entity nodebalancer_entity(const NodeBalancer& nb);

// Reads a config's fields from `body` over `into` (its current or default values), each
// problem added under `prefix` ("configs[0].port"). `node_key`: whether nodes are read too
// (create and rebuild) into `request.nodes`.
void read_config(const boost::json::object& body, const std::string& prefix, bool with_nodes,
                 ConfigRequest& request, std::vector<ErrorDetail>& problems);
// Reads a node's fields over `into`; `require` label and address (a create).
void read_node(const boost::json::object& body, const std::string& prefix, bool require, Node& into,
               std::vector<ErrorDetail>& problems);

NodeBalancer create(store::Transaction& tx, const Actor& actor, const Settings& settings,
                    NewNodeBalancer request);
// Label, throttle and tags as `nb` now has them (`was` as read).
void update(store::Transaction& tx, const Actor& actor, NodeBalancer& nb, const NodeBalancer& was);
void remove(store::Transaction& tx, const Actor& actor, const NodeBalancer& nb);

Config create_config(store::Transaction& tx, const Actor& actor, const Settings& settings,
                     const NodeBalancer& nb, ConfigRequest request);
Config update_config(store::Transaction& tx, const Actor& actor, const NodeBalancer& nb,
                     Config config);
// The config as given, its nodes exactly those of the request (named ones kept and changed,
// others added, the rest removed).
Config rebuild_config(store::Transaction& tx, const Actor& actor, const Settings& settings,
                      const NodeBalancer& nb, ConfigRequest request);
void remove_config(store::Transaction& tx, const Actor& actor, const NodeBalancer& nb,
                   const Config& config);

Node create_node(store::Transaction& tx, const Actor& actor, const Settings& settings,
                 const NodeBalancer& nb, const Config& config, Node node);
Node update_node(store::Transaction& tx, const Actor& actor, const Settings& settings,
                 const NodeBalancer& nb, Node node, const Node& was);
void remove_node(store::Transaction& tx, const Actor& actor, const NodeBalancer& nb,
                 const Node& node);

// The /stats document: connections per second and traffic in bits per second, five-minute
// averages of the last day; 400 when there are none yet.
std::string stats(store::Transaction& tx, const NodeBalancer& nb, std::int64_t now_ms);

}  // namespace linnet::nodebalancers
