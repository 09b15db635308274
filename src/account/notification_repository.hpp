// What the account is told, read from the state it is in (no table of its own): a Linode whose
// host is drained for maintenance has a migration scheduled, a Linode whose host was lost is in
// an outage, and a Linode whose latest job failed has a notice. The maintenance list is the
// drained hosts' scheduled migrations. Every statement of these views lives in
// notification_repository.cpp.
#pragma once

#include <string>
#include <utility>

#include "store/listing.hpp"

namespace linnet::account {

class NotificationRepository {
  public:
    // Both on the Linodes `visible` (a condition on l.id) lets the caller read.
    static store::Listing notifications(const std::pair<std::string, store::Params>& visible);
    static store::Listing maintenance(const std::pair<std::string, store::Params>& visible);
};

}  // namespace linnet::account
