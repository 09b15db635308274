// The Domains aggregate's tables: domains (one row each; a zone's name once across Linnet, kept
// lower-cased in domain_key), domain_tags, domain_addresses (master_ips and axfr_ips, in
// order) and domain_records. Every statement on them lives in domain_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domains/records.hpp"
#include "store/listing.hpp"

namespace linnet::domains {

struct Domain {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string domain;
    std::string type = "master";    // master | slave
    std::string status = "active";  // active | disabled
    std::string soa_email;
    std::string description;
    std::string group;
    std::int64_t retry_sec = 0;
    std::int64_t expire_sec = 0;
    std::int64_t refresh_sec = 0;
    std::int64_t ttl_sec = 0;
    std::int64_t serial = 0;
    std::vector<std::string> master_ips;
    std::vector<std::string> axfr_ips;
    std::vector<std::string> tags;
    std::string created;
    std::string updated;
};

// A zone as the DNS server is given it: its Domain and records (system scope reads).
struct Zone {
    Domain domain;
    std::vector<Record> records;
};

class DomainRepository {
  public:
    explicit DomainRepository(store::Transaction& tx) : tx_(tx) {}

    // Inserts the Domain into the transaction's account; false when its name is taken (by any
    // account: the unique key decides, also between creates side by side).
    bool insert(Domain& d);
    // The Domain (of the scope's account, or any in the system scope); locked until the
    // transaction ends on engines that lock rows.
    std::optional<Domain> find(std::int64_t id);
    // Writes its fields, addresses and tags; false when its new name is taken.
    bool save(Domain& d);
    void remove(std::int64_t id);
    // Whether any account has a Domain of this name (whatever its case).
    bool name_taken(const std::string& name);
    std::vector<std::pair<std::int64_t, std::string>> names();
    std::vector<Domain> tagged_with(const std::string& tag);

    std::int64_t insert_record(Record& r);
    void save_record(Record& r);
    std::optional<Record> find_record(std::int64_t domain_id, std::int64_t record_id);
    std::vector<Record> records_of(std::int64_t domain_id);
    void remove_record(std::int64_t record_id);

    // The active master zones with their serials (system scope), by name.
    std::vector<std::pair<std::string, std::int64_t>> served_serials();
    // A served zone with its records (system scope).
    std::optional<Zone> zone(const std::string& name);

    static store::Listing listing(const std::pair<std::string, store::Params>& visible);
    static store::Listing tagged(const std::string& tag,
                                 const std::pair<std::string, store::Params>& visible);
    static store::Listing record_listing(std::int64_t domain_id);

  private:
    void write_lists(const Domain& d);
    store::Transaction& tx_;
};

std::string render(const Domain& d);

}  // namespace linnet::domains
