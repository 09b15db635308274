// Invoices from what ran. Each usage line is billed by the hour (an hour begun is an hour
// billed) at its hourly price, and each service of an entity at most its monthly price in a
// calendar month, as Linode caps them. A month may be invoiced in parts (`linnetd billing
// close-month` closes the month so far): a part is billed what the month through its end comes
// to, less what the month before it came to, so the parts add up to the whole month. Network
// transfer past the month's pool is billed on the invoice that ends the month.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "billing/invoice_repository.hpp"
#include "billing/usage_repository.hpp"
#include "core/month.hpp"
#include "store/database.hpp"

namespace linnet::billing {

// The hourly items of `lines` for [from, to), a part of month `m`.
std::vector<InvoiceItem> hourly_items(const std::vector<UsageLine>& lines, const Month& m,
                                      std::int64_t from, std::int64_t to);

// A transfer pool of a month: the global one (id "") or a region priced on its own. In GB.
struct TransferPool {
    std::string region;
    std::int64_t quota = 0;
    std::int64_t used = 0;
    std::int64_t billable = 0;
    std::int64_t micros_per_gb = 0;
};

// The account's pools in month `m`, with what its Linodes sent until `now`. A Linode brings its
// plan's transfer to its region's pool for the share of the month it exists (a running one: to
// the month's end).
std::vector<TransferPool> transfer_pools(store::Transaction& tx, std::int64_t account_id,
                                         const Month& m, std::int64_t now);

// Invoices the account's use up to `until` that no invoice covers: one invoice per calendar
// month (or its part). Answers how many invoices it wrote.
int close(store::Transaction& tx, std::int64_t account_id, std::int64_t until);

// At a month's start: closes the past months of every account that has any not invoiced
// (system scope). Answers how many invoices it wrote.
int close_due(store::Transaction& tx, std::int64_t now);

// What the account's use since its last invoice comes to so far, in cents (transfer aside).
std::int64_t uninvoiced_cents(store::Transaction& tx, std::int64_t account_id, std::int64_t now);

}  // namespace linnet::billing
