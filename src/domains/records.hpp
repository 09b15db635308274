// A Domain's records: what each type takes (checked as Linode checks it, every problem named by
// its field), and the line each becomes in the zone file.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace linnet::domains {

struct Record {
    std::int64_t id = 0;
    std::int64_t domain_id = 0;
    std::string type;    // A AAAA NS MX CNAME TXT SRV PTR CAA
    std::string name;    // relative to the zone; "" is the zone's apex
    std::string target;  // an address, a host name, text or a CAA value
    std::int64_t priority = 0;
    std::int64_t weight = 0;
    std::int64_t port = 0;
    std::optional<std::string> service;   // SRV
    std::optional<std::string> protocol;  // SRV
    std::int64_t ttl_sec = 0;             // 0: the zone's
    std::optional<std::string> tag;       // CAA
    std::string created;
    std::string updated;
};

// `text` with ASCII letters lower-cased (zone names compare so, whatever their case).
std::string lower_ascii(std::string text);

// The TTLs Linode takes; another value within their range is rounded to the nearest of them.
std::optional<std::int64_t> rounded_ttl(std::int64_t seconds, bool zero_allowed);

// Reads a record's fields over `into` (a create starts from a blank record of `type`, an
// update from the record as it is); `zone` is the Domain's name (a name given in full within
// it is made relative), `remote_address` what "[remote_addr]" stands for. Problems are added
// with their field.
void read_record(const boost::json::object& body, const std::string& zone,
                 const std::string& remote_address, bool create, Record& into,
                 std::vector<ErrorDetail>& problems);

// Checks what the record's type asks of its fields.
void check_record(const Record& r, const std::string& zone, std::vector<ErrorDetail>& problems);

// Checks the record beside the zone's others: a CNAME's name holds no other data, and no name
// holds two CNAMEs. `others` excludes the record itself.
void check_neighbours(const Record& r, const std::vector<Record>& others,
                      std::vector<ErrorDetail>& problems);

// The record's owner name in the zone file ("@", "www", "_sip._tcp").
std::string owner(const Record& r);
// The zone-file line of the record.
std::string zone_line(const Record& r);

boost::json::object document(const Record& r);

}  // namespace linnet::domains
