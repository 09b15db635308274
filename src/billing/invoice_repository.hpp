// The billing aggregate's invoices: invoices (one per closed period of an account) and
// invoice_items. Every statement on them lives in invoice_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/listing.hpp"

namespace linnet::billing {

struct InvoiceItem {
    std::string label;
    std::string type = "hourly";  // hourly | misc
    std::string unit_price;       // dollars per hour (or per GB), as text
    std::int64_t quantity = 0;    // hours (or GB)
    std::int64_t amount_cents = 0;
    std::int64_t tax_cents = 0;
    std::string from;
    std::string to;
    std::optional<std::string> region;
};

struct Invoice {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string date;
    std::string label;
    std::int64_t period_from = 0;
    std::int64_t period_to = 0;
    std::int64_t subtotal_cents = 0;
    std::int64_t tax_cents = 0;
    std::int64_t total_cents = 0;
    std::int64_t promo_cents = 0;  // promotion credit that went to it
};

class InvoiceRepository {
  public:
    explicit InvoiceRepository(store::Transaction& tx) : tx_(tx) {}

    // Where the account's invoiced periods end (nothing before its first invoice).
    std::optional<std::int64_t> billed_until(std::int64_t account_id);
    // Writes the invoice (labelled by its id) and its items; answers its id.
    std::int64_t insert(Invoice& invoice, const std::vector<InvoiceItem>& items);
    // Of the transaction's account: what its invoices came to, and the credit they took.
    std::int64_t invoiced_cents();
    std::int64_t promo_cents();
    // The credit that invoices of periods starting in [from, to) took.
    std::int64_t promo_cents_between(std::int64_t from, std::int64_t to);
    bool exists(std::int64_t id);
    // Accounts with use before `before` that no invoice covers yet (system scope).
    std::vector<std::int64_t> accounts_due(std::int64_t before);

    static store::Listing listing();
    static store::Listing item_listing(std::int64_t invoice_id);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::billing
