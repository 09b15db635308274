// What the account is told, read from the state it is in (no table of its own): a Linode whose
// host is drained for maintenance has a migration scheduled, a Linode whose host was lost is in
// an outage, a Linode whose latest job failed has a notice, and an account whose invoices come
// to more than it paid has a payment due. The maintenance list is the
// drained hosts' scheduled migrations. Every statement of these views lives in
// notification_repository.cpp.
#pragma once

#include <string>
#include <utility>

#include "store/listing.hpp"

namespace linnet::account {

class NotificationRepository {
  public:
    // Both on the Linodes `visible` (a condition on l.id) lets the caller read; the payment due
    // only when `billing` (the caller may read the account).
    static store::Listing notifications(const std::pair<std::string, store::Params>& visible,
                                        bool billing);
    static store::Listing maintenance(const std::pair<std::string, store::Params>& visible);
};

}  // namespace linnet::account
