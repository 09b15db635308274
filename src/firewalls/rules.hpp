// A Cloud Firewall's rules: inbound and outbound rule lists with a default policy each, read and
// checked as the API takes them, written back as the API shows them, and fingerprinted.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace linnet::firewalls {

// At most this many rules, inbound and outbound together.
inline constexpr std::size_t kMostRules = 25;
// At most this many addresses and networks in one rule, IPv4 and IPv6 together.
inline constexpr std::size_t kMostAddresses = 255;
// At most this many pieces in a rule's ports (a port is one, a range two).
inline constexpr std::size_t kMostPortPieces = 15;

struct PortRange {
    int first = 0;
    int last = 0;
};

struct Rule {
    std::string action;    // ACCEPT or DROP
    std::string protocol;  // TCP, UDP, ICMP or IPENCAP
    std::optional<std::string> ports;
    std::vector<PortRange> port_ranges;  // `ports` read; empty: every port
    std::optional<std::vector<std::string>> ipv4;
    std::optional<std::vector<std::string>> ipv6;
    std::optional<std::string> label;
    std::optional<std::string> description;
};

struct Rules {
    // nullopt: the list was given as null (shown as null again); otherwise the rules in order.
    std::optional<std::vector<Rule>> inbound = std::vector<Rule>{};
    std::optional<std::vector<Rule>> outbound = std::vector<Rule>{};
    std::string inbound_policy = "ACCEPT";
    std::string outbound_policy = "ACCEPT";
};

// Reads a rules object (of a firewall's create, at field "rules", or of PUT .../rules, at "");
// every problem is added to `problems` with the field it is about ("rules.inbound[0].ports").
// `policies_required`: a create must give both policies.
Rules read_rules(const boost::json::value& value, const std::string& prefix, bool policies_required,
                 std::vector<ErrorDetail>& problems);

// The ports text read into ranges, or the reason it is not valid.
std::optional<std::string> read_ports(const std::string& text, std::vector<PortRange>& out);

// The rules as the API shows them (without version and fingerprint).
boost::json::object render(const Rules& rules);
// The rules as stored (render's document read back; what was stored was checked).
Rules parse_stored(const boost::json::object& doc);
// Eight hex digits that change whenever the rules do.
std::string fingerprint(const Rules& rules);

}  // namespace linnet::firewalls
