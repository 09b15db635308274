// Linode Managed's monitoring: managed_services (what is checked, its status and when it is next
// due), managed_service_credentials, managed_checks (each check's outcome) and managed_issues
// (a failure's issue, with the support ticket it opened). Every statement on them lives in
// service_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/listing.hpp"

namespace linnet::managed {

struct Service {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string label;
    std::string service_type = "url";  // url | tcp
    std::string address;
    std::int64_t timeout = 10;
    std::optional<std::string> body;
    std::string consultation_group;
    std::optional<std::string> notes;
    std::optional<std::string> region;
    std::string status = "pending";  // disabled | pending | ok | problem
    std::int64_t due = 0;            // when it is next checked (Unix seconds)
    std::vector<std::int64_t> credentials;
    std::string created;
    std::string updated;
};

struct Issue {
    std::int64_t id = 0;
    std::optional<std::int64_t> service_id;
    std::int64_t ticket_id = 0;
    std::string ticket_summary;
    std::string created;
    std::optional<std::string> resolved;
};

class ServiceRepository {
  public:
    explicit ServiceRepository(store::Transaction& tx) : tx_(tx) {}

    // Writes the service and its credentials; answers its id.
    std::int64_t insert(const Service& s);
    std::optional<Service> find(std::int64_t id);
    void save(const Service& s);
    void remove(std::int64_t id);
    // Whether each of `ids` is a credential of the account.
    bool credentials_exist(const std::vector<std::int64_t>& ids);

    // Services of any account due at `now` (system scope), the longest waiting first.
    std::vector<Service> due(std::int64_t now, int limit);
    // Records a check's outcome and what follows from it: the service's status and next due.
    void record_check(std::int64_t service_id, std::int64_t at, bool ok, const std::string& detail,
                      const std::string& status, std::int64_t next_due);

    // The service's open issue, if any.
    std::optional<Issue> open_issue(std::int64_t service_id);
    std::int64_t open(std::int64_t account_id, std::int64_t service_id, std::int64_t ticket_id,
                      const std::string& created);
    void resolve(std::int64_t issue_id, const std::string& when);

    static store::Listing listing();
    static store::Listing issue_listing();

  private:
    store::Transaction& tx_;
};

std::string render(const Service& s);

}  // namespace linnet::managed
