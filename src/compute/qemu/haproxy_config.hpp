// The haproxy.cfg that serves a host's NodeBalancers on HAProxy 2.6: a `listen` section per port,
// named after the NodeBalancer's and the config's ids so that the stats rows map back, with the
// port's protocol, algorithm, stickiness, checks, nodes, throttle and Cloud Firewall in HAProxy's
// words. Text that API users give (check path and body) is escaped so that it stays one word.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nodebalancers/balancer.hpp"

namespace linnet::compute::haproxy {

struct Settings {
    std::filesystem::path folder;  // holds the admin socket
    // The PEM file (certificate chain, then key) of each https port, by config id.
    std::map<std::int64_t, std::filesystem::path> certificates;
};

struct Config {
    std::string text;
    // What was left out and why ("NodeBalancer 3, config 7: ..."); everything else is served.
    std::vector<std::string> problems;
};

// The whole configuration for these NodeBalancers.
Config config(const std::vector<nodebalancers::Balancer>& balancers, const Settings& settings);

// The admin socket in `folder`, where `show stat` is read and listeners are handed over.
std::filesystem::path admin_socket(const std::filesystem::path& folder);

// The PEM file HAProxy reads for an https port: the certificate (and chain), then the key.
std::string pem(const nodebalancers::Port& port);

// A port's section ("nb3_c7") and a node's server ("n12"), and back from the stats' names.
std::string proxy_name(std::int64_t balancer_id, std::int64_t config_id);
std::string server_name(std::int64_t node_id);
std::optional<std::int64_t> config_of(std::string_view proxy);
std::optional<std::int64_t> node_of(std::string_view server);

// `text` as one word of HAProxy's configuration: in double quotes, with every byte HAProxy would
// read as the end of the line, a quote, an escape or an environment variable escaped. Nothing
// when `text` holds a NUL byte, which no word can carry.
std::optional<std::string> config_word(std::string_view text);

// A check path as the target of the check's request line: starting with "/", every byte that is
// not plainly part of a URI percent-encoded.
std::string check_uri(std::string_view path);

}  // namespace linnet::compute::haproxy
