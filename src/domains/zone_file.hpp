// A master Domain as a zone file (RFC 1035): what /zone-file shows, line by line, and what the
// DNS server is given, the same lines joined.
#pragma once

#include <string>
#include <vector>

#include "domains/domain_repository.hpp"

namespace linnet::domains {

// The name servers every zone names (NS at its apex, and the SOA's primary).
inline constexpr const char* kNameServers[] = {"ns1.linnet.internal", "ns2.linnet.internal"};

// The zone's lines: a comment naming it, $ORIGIN and $TTL, the SOA (serial, and the Domain's
// timers or their defaults), the name servers, then each record in id order.
std::vector<std::string> zone_lines(const Domain& d, const std::vector<Record>& records);
std::string zone_text(const Domain& d, const std::vector<Record>& records);

// The SOA's mailbox: user@example.com → user.example.com. (dots of the user escaped).
std::string soa_mailbox(const std::string& email);

}  // namespace linnet::domains
