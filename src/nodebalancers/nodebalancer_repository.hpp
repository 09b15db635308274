// The NodeBalancers aggregate's tables: nodebalancers (one row each, placed on a host),
// nodebalancer_tags, nodebalancer_configs (one per port), nodebalancer_nodes (the backends of a
// config, each with the status its health checks last gave) and nodebalancer_stats (what each
// carried, by five-minute bucket). A NodeBalancer's addresses are rows of ips
// (ips.nodebalancer_id). Every statement on them lives in nodebalancer_repository.cpp.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nodebalancers/balancer.hpp"
#include "store/listing.hpp"

namespace linnet::nodebalancers {

struct NodeBalancer {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string label;
    std::string region;
    std::optional<std::int64_t> host_id;
    std::int64_t client_conn_throttle = 0;
    std::string ipv4;
    std::optional<std::string> ipv6;
    std::vector<std::string> tags;
    std::vector<std::string> stored_tags;  // as read: save rewrites tag rows when `tags` differs
    std::string created;
    std::string updated;
};

struct Config {
    std::int64_t id = 0;
    std::int64_t nodebalancer_id = 0;
    std::int64_t port = 80;
    std::string protocol = "http";
    std::string algorithm = "roundrobin";
    std::string stickiness = "none";
    std::string check = "none";
    std::int64_t check_interval = 31;
    std::int64_t check_timeout = 30;
    std::int64_t check_attempts = 3;
    std::string check_path;
    std::string check_body;
    bool check_passive = true;
    std::string proxy_protocol = "none";
    std::string cipher_suite = "recommended";
    std::optional<std::string> ssl_cert;
    std::optional<std::string> ssl_key;
    std::string ssl_commonname;
    std::string ssl_fingerprint;
    // Read with the config: how many of its nodes are UP, and how many are not.
    std::int64_t nodes_up = 0;
    std::int64_t nodes_down = 0;
};

struct Node {
    std::int64_t id = 0;
    std::int64_t config_id = 0;
    std::int64_t nodebalancer_id = 0;
    std::string label;
    std::string address;  // "192.168.130.4:80"
    std::int64_t weight = 50;
    std::string mode = "accept";
    std::string status = "unknown";
};

// What a NodeBalancer carried in one five-minute bucket.
struct Sample {
    std::int64_t at = 0;  // the bucket's start, Unix ms
    double connections = 0;
    double bytes_in = 0;
    double bytes_out = 0;
};

class NodeBalancerRepository {
  public:
    explicit NodeBalancerRepository(store::Transaction& tx) : tx_(tx) {}

    // Inserts the NodeBalancer into the transaction's account with its tags; answers its id.
    std::int64_t insert(const NodeBalancer& nb);
    // The NodeBalancer (of the scope's account, or any in the system scope); locked until the
    // transaction ends on engines that lock rows.
    std::optional<NodeBalancer> find(std::int64_t id);
    // Writes label, throttle, tags and the time of the change.
    void save(NodeBalancer& nb);
    void remove(std::int64_t id);
    bool label_taken(const std::string& label, std::int64_t except_id);
    // Every NodeBalancer's id and label, by id.
    std::vector<std::pair<std::int64_t, std::string>> names();
    std::vector<NodeBalancer> tagged_with(const std::string& tag);

    // Configs.
    std::int64_t insert_config(const Config& c);
    void save_config(const Config& c);
    std::optional<Config> find_config(std::int64_t nodebalancer_id, std::int64_t config_id);
    std::vector<Config> configs_of(std::int64_t nodebalancer_id);
    void remove_config(std::int64_t config_id);
    bool port_taken(std::int64_t nodebalancer_id, std::int64_t port, std::int64_t except_id);

    // Nodes.
    std::int64_t insert_node(const Node& n);
    void save_node(const Node& n);
    std::optional<Node> find_node(std::int64_t config_id, std::int64_t node_id);
    std::vector<Node> nodes_of(std::int64_t config_id);
    void remove_node(std::int64_t node_id);
    bool address_taken(std::int64_t config_id, const std::string& address, std::int64_t except_id);

    // The private IPv4 of a Linode of the account in `region` that has `address`, or nullopt.
    bool is_private_linode_address(const std::string& address, const std::string& region);

    // What the load balancer of `node` serves (system scope): its hosts' NodeBalancers with
    // their configs, their nodes as that host reaches them (a Linode's private address is
    // reached at its public one), and the inbound rules of their enabled firewalls.
    std::vector<Balancer> served_on_node(const std::string& node);
    // Records what the load balancer found: each node's status where it changed (system
    // scope); answers how many changed.
    int set_statuses(const std::map<std::int64_t, std::string>& statuses);
    // Adds what each NodeBalancer carried to its bucket at `at` (system scope).
    void add_samples(const std::map<std::int64_t, Sample>& by_nodebalancer);
    // The buckets of the last day, oldest first.
    std::vector<Sample> samples(std::int64_t nodebalancer_id, std::int64_t since_ms);
    // The NodeBalancers placed on a host (system scope): id and region of each.
    std::vector<std::pair<std::int64_t, std::string>> placed_on(std::int64_t host_id);
    // The NodeBalancer is served by the load balancer of `host_id` from now on.
    void place(std::int64_t nodebalancer_id, std::int64_t host_id);

    // The account's NodeBalancers as GET /nodebalancers lists them.
    static store::Listing listing(const std::pair<std::string, store::Params>& visible);
    // The NodeBalancers with a node at one of the Linode's private addresses.
    // Whether a NodeBalancer (of any account) has a node at one of the Linode's private
    // addresses.
    bool serves_linode(std::int64_t linode_id);
    static store::Listing of_linode_listing(std::int64_t linode_id,
                                            const std::pair<std::string, store::Params>& visible);
    static store::Listing tagged(const std::string& tag,
                                 const std::pair<std::string, store::Params>& visible);
    static store::Listing config_listing(std::int64_t nodebalancer_id);
    static store::Listing node_listing(std::int64_t nodebalancer_id, std::int64_t config_id);

  private:
    store::Transaction& tx_;
};

// The documents the API shows.
boost::json::object document(const NodeBalancer& nb, double mb_in, double mb_out);
std::string render(const Config& c);
std::string render(const Node& n);

}  // namespace linnet::nodebalancers
