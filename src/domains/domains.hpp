// The rules of a Domain's life: its name (once across Linnet), type, SOA fields and addresses,
// its records (each change moves the SOA serial on), clone and import (a zone transfer from
// another name server), and the events each change records.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "domains/domain_repository.hpp"
#include "jobs/events.hpp"

namespace linnet::domains {

struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

jobs::Entity domain_entity(const Domain& d);

// Reads a Domain's fields over `into` (a create requires domain and type); problems named by
// their field.
void read_domain(const boost::json::object& body, bool create, Domain& into,
                 std::vector<ErrorDetail>& problems);

// The next SOA serial after `serial`: YYYYMMDDnn of today, or one more than the last.
std::int64_t next_serial(std::int64_t serial, std::int64_t unix_seconds);

Domain create(store::Transaction& tx, const Actor& actor, Domain d);
// The Domain as it now is (`was` as read): checked, its serial moved on.
void update(store::Transaction& tx, const Actor& actor, Domain& d, const Domain& was);
void remove(store::Transaction& tx, const Actor& actor, const Domain& d);
// A new Domain named `name` with the settings and records of `d`.
Domain clone(store::Transaction& tx, const Actor& actor, const Domain& d, const std::string& name);
// A new master Domain with what a zone transfer (AXFR) of `name` from `nameserver` gives.
Domain import(store::Transaction& tx, const Actor& actor, const std::string& name,
              const std::string& nameserver);

Record create_record(store::Transaction& tx, const Actor& actor, Domain& d, Record r);
Record update_record(store::Transaction& tx, const Actor& actor, Domain& d, Record r);
void remove_record(store::Transaction& tx, const Actor& actor, Domain& d, const Record& r);

}  // namespace linnet::domains
