// What a host's load balancer is asked to serve: each NodeBalancer placed on the host with its
// ports (configs) and the backends (nodes) each balances over, as the host reaches them; and
// what it reports back: each node's health and each port's counters.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "firewalls/rules.hpp"

namespace linnet::nodebalancers {

// A node as the balancer reaches it.
struct Backend {
    std::int64_t node_id = 0;
    std::string address;          // "127.0.0.5:80": where this host reaches the node
    int weight = 50;              // 1-255
    std::string mode = "accept";  // accept | reject | drain | backup
};

// A config: one port of the NodeBalancer.
struct Port {
    std::int64_t config_id = 0;
    int port = 80;
    std::string protocol = "http";         // tcp | http | https
    std::string algorithm = "roundrobin";  // roundrobin | leastconn | source
    std::string stickiness = "none";       // none | table | http_cookie
    std::string check = "none";            // none | connection | http | http_body
    int check_interval = 31;               // seconds
    int check_timeout = 30;                // seconds
    int check_attempts = 3;
    std::string check_path;                    // http, http_body
    std::string check_body;                    // http_body: the response must contain it
    bool check_passive = true;                 // a 5xx answer counts against the node
    std::string proxy_protocol = "none";       // none | v1 | v2 (tcp)
    std::string cipher_suite = "recommended";  // recommended | legacy (https)
    std::string ssl_cert;                      // PEM (https)
    std::string ssl_key;                       // PEM (https)
    std::vector<Backend> nodes;
};

struct Balancer {
    std::int64_t id = 0;
    std::string address;           // the NodeBalancer's IPv4: every port listens there
    int client_conn_throttle = 0;  // new connections per second from one client; 0: no limit
    // The inbound rules of its enabled Cloud Firewall (TCP only), if it has one.
    std::optional<firewalls::Rules> firewall;
    std::vector<Port> ports;
};

// What the balancer knows of a node: "UP", "DOWN" or "unknown" (not checked yet).
struct NodeHealth {
    std::string status = "unknown";
};

// A port's counters since the balancer last started serving it (they only grow, but start again
// at 0 when the balancer restarts).
struct PortCounters {
    std::int64_t connections = 0;  // connections taken (HAProxy's total sessions)
    std::int64_t bytes_in = 0;     // from clients
    std::int64_t bytes_out = 0;    // to clients
};

struct Health {
    std::map<std::int64_t, NodeHealth> nodes;    // by node id
    std::map<std::int64_t, PortCounters> ports;  // by config id
};

}  // namespace linnet::nodebalancers
