// `linnetd promo add CODE --credit USD`: the operator's promo codes, which accounts apply with
// POST /account/promo-codes. `linnetd billing close-month [--account A]`: invoices the use so
// far of this month (and any past month not invoiced) now, rather than at the month's end.
#include <iostream>

#include "account/accounts.hpp"
#include "billing/invoice_repository.hpp"
#include "billing/invoicing.hpp"
#include "billing/payments.hpp"
#include "core/clock.hpp"
#include "core/time.hpp"
#include "main/options.hpp"

namespace linnet::cli {

namespace {

struct PromoOptions {
    StoreOptions store;
    std::string code;
    std::string credit;
    std::string monthly_cap;
    std::string expires;
    std::string summary;
};

std::int64_t cents_of(const std::string& text, const std::string& option) {
    const auto cents = billing::parse_usd(text);
    if (!cents || *cents <= 0)
        throw CLI::ValidationError(option, "an amount in dollars and cents, as 50.00");
    return *cents;
}

void add_promo(const PromoOptions& o) {
    if (o.code.empty() || o.code.size() > 32)
        throw CLI::ValidationError("CODE", "a promo code is 1 to 32 characters");
    billing::PromoCode p;
    p.code = o.code;
    p.credit_cents = cents_of(o.credit, "--credit");
    p.monthly_cap_cents =
        o.monthly_cap.empty() ? p.credit_cents : cents_of(o.monthly_cap, "--monthly-cap");
    p.expires = o.expires.empty() ? format_time(unix_now() + 365 * 24 * 3600) : o.expires;
    p.summary =
        o.summary.empty() ? "$" + billing::dollars(p.credit_cents) + " of credit" : o.summary;
    auto db = open_store(o.store);
    auto tx = db->begin_in(store::Access::write, store::Scope::system());
    billing::PaymentRepository(*tx).save_promo(p);
    tx->commit();
    std::cout << "promo code " << p.code << ": $" << billing::dollars(p.credit_cents)
              << " of credit until " << p.expires << std::endl;
}

struct CloseOptions {
    StoreOptions store;
    std::string account;
};

void close_month(const CloseOptions& o) {
    auto db = open_store(o.store);
    auto tx = db->begin_in(store::Access::write, store::Scope::system());
    // The second under way counts: what began in it has begun its first hour.
    const std::int64_t until = clock::unix_seconds() + 1;
    std::vector<std::int64_t> accounts;
    if (!o.account.empty()) {
        const auto id = account::resolve(*tx, o.account);
        if (!id) throw CLI::ValidationError("--account", "no account " + o.account);
        accounts.push_back(*id);
    } else {
        accounts = billing::InvoiceRepository(*tx).accounts_due(until);
    }
    int written = 0;
    for (const auto id : accounts) written += billing::close(*tx, id, until);
    tx->commit();
    std::cout << written << (written == 1 ? " invoice" : " invoices") << " written up to "
              << format_time(until) << std::endl;
}

}  // namespace

void add_billing(CLI::App& app) {
    auto* billing = app.add_subcommand("billing", "Invoices: closing the month");
    billing->require_subcommand(1);
    auto c = std::make_shared<CloseOptions>();
    auto* close = billing->add_subcommand(
        "close-month", "Invoice every account's use so far (or one account's) now");
    add_store_options(*close, c->store);
    close->add_option("--account", c->account, "The account (its id or a user's name)");
    close->callback([c] { close_month(*c); });

    auto* promo = app.add_subcommand("promo", "Promo codes accounts may apply");
    promo->require_subcommand(1);
    auto o = std::make_shared<PromoOptions>();
    auto* add = promo->add_subcommand("add", "Add (or change) a promo code");
    add_store_options(*add, o->store);
    add->add_option("code", o->code, "The code accounts enter")->required();
    add->add_option("--credit", o->credit, "The credit it gives, in dollars (50.00)")->required();
    add->add_option("--monthly-cap", o->monthly_cap,
                    "The most of it a month may use (default: all of it)");
    add->add_option("--expires", o->expires,
                    "When it can no longer be applied, YYYY-MM-DDTHH:MM:SS (default: a year)");
    add->add_option("--summary", o->summary, "What the account is shown");
    add->callback([o] { add_promo(*o); });
}

}  // namespace linnet::cli
