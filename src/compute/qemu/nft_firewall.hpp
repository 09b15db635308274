// Cloud Firewalls on a QEMU host as one nftables table, rewritten whole and atomically: a chain
// per guarded Linode and direction (connections already allowed go on; then the firewall's
// rules in order; then its policy; what it accepts returns to the hook chain, which accepts
// what no Linode's chain dropped), reached from the hook chains by what tells the Linode's
// packets apart: on loopback networking the cgroup of its QEMU (whose sockets carry all of its
// traffic), on bridge networking its address (the host routes its traffic; Linodes on one bridge
// reach each other without the host's routing, so that traffic is not filtered).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "firewalls/rules.hpp"

namespace linnet::compute::nft_firewall {

struct Guarded {
    // nft match expressions that select the Linode's inbound and outbound packets.
    std::string inbound;
    std::string outbound;
    firewalls::Rules rules;
};

struct Hook {
    std::string chain;  // the hook chain's name, also its hook
    bool inbound;       // whether it sends the Linode's inbound packets to the Linode's chain
    bool outbound;      // and its outbound ones
};

struct Layout {
    std::string family;  // inet
    std::string table;
    std::vector<Hook> hooks;
    // Packets no firewall judges (the segments of private networks): accepted first.
    std::vector<std::string> exempt = {};
};

// Loopback: the inet family's input hook (inbound) and output hook (outbound); the private
// networks' segments are exempt (Cloud Firewalls judge public traffic).
Layout loopback(const std::string& table);
// Bridge: the inet family's forward hook (both ways), output hook (the host's packets to the
// guest) and input hook (the guest's to the host).
Layout bridge(const std::string& table);

// The nft script that makes the table hold exactly these Linodes' firewalls.
std::string ruleset(const Layout& layout, const std::map<std::int64_t, Guarded>& linodes);

// One rule's nft statements (one per address family it names), for a chain of `direction`
// ("in" matches sources, "out" destinations).
std::vector<std::string> statements(const firewalls::Rule& rule, const std::string& direction);

}  // namespace linnet::compute::nft_firewall
