// Importing a zone: a transfer (AXFR) of it from another name server with kdig, read into the
// Domain's SOA fields and the records Linnet keeps (A, AAAA, NS, MX, CNAME, TXT, SRV, PTR,
// CAA; the apex's SOA and NS are the Domain's own).
#pragma once

#include <string>
#include <vector>

#include "domains/domain_repository.hpp"

namespace linnet::domains {

struct Transferred {
    Domain domain;  // soa_email and the timers from the SOA
    std::vector<Record> records;
    std::vector<std::string> skipped;  // the types kept by no record of Linnet's
};

// Reads kdig's text of a transfer of `zone`; throws a 400 when it holds no SOA.
Transferred read_transfer(const std::string& text, const std::string& zone);
// Transfers `zone` from `nameserver` ("ADDRESS" or "ADDRESS:PORT"); a 400 naming
// remote_nameserver when it cannot.
Transferred transfer(const std::string& zone, const std::string& nameserver);

}  // namespace linnet::domains
