// Hourly items, transfer pools and the closing of periods into invoices.
#include "billing/invoicing.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "billing/payment_repository.hpp"
#include "billing/prices.hpp"
#include "core/time.hpp"
#include "stats/series.hpp"
#include "stats/usage_repository.hpp"

namespace linnet::billing {

namespace {

constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kGiB = 1024LL * 1024 * 1024;

// The hours (begun) of the line within [from, to).
std::int64_t hours(const UsageLine& l, std::int64_t from, std::int64_t to) {
    const std::int64_t s = std::max(l.started, from);
    const std::int64_t e = std::min(l.ended.value_or(kForever), to);
    return e > s ? (e - s + 3599) / 3600 : 0;
}

std::int64_t capped(std::int64_t hours, const UsageLine& l) {
    const std::int64_t micros = hours * l.hourly_micros;
    return l.monthly_micros > 0 ? std::min(micros, l.monthly_micros) : micros;
}

std::int64_t cents(std::int64_t micros) {
    return (micros + 5000) / 10000;
}

// Dollars with as many places as the price needs, at least two ("0.0075", "0.03").
std::string price_text(std::int64_t micros) {
    char text[48];
    std::snprintf(text, sizeof text, "%lld.%06lld", static_cast<long long>(micros / 1'000'000),
                  static_cast<long long>(micros % 1'000'000));
    std::string out = text;
    while (out.back() == '0' && out.size() - out.find('.') > 3) out.pop_back();
    return out;
}

using GroupKey = std::tuple<std::string, std::int64_t, std::string, std::string,
                            std::optional<std::string>, std::int64_t, std::int64_t>;

GroupKey key_of(const UsageLine& l) {
    return {l.entity_type, l.entity_id,     l.service,       l.plan,
            l.region,      l.hourly_micros, l.monthly_micros};
}

bool own_transfer_price(const std::string& region) {
    return transfer_micros_per_gb(region) != transfer_micros_per_gb("");
}

}  // namespace

std::vector<InvoiceItem> hourly_items(const std::vector<UsageLine>& lines, const Month& m,
                                      std::int64_t from, std::int64_t to) {
    // The lines of each service of each entity, in the order they began.
    std::vector<GroupKey> order;
    std::map<GroupKey, std::vector<const UsageLine*>> groups;
    for (const auto& l : lines) {
        auto& group = groups[key_of(l)];
        if (group.empty()) order.push_back(key_of(l));
        group.push_back(&l);
    }
    std::vector<InvoiceItem> out;
    for (const auto& key : order) {
        const auto& group = groups.at(key);
        const UsageLine& any = *group.front();
        std::int64_t before = 0, through = 0, first = kForever, last = 0;
        for (const auto* l : group) {
            before += hours(*l, m.start, from);
            const std::int64_t part = hours(*l, from, to);
            through += hours(*l, m.start, to);
            if (part == 0) continue;
            first = std::min(first, std::max(l->started, from));
            last = std::max(last, std::min(l->ended.value_or(kForever), to));
        }
        if (through <= before) continue;
        InvoiceItem item;
        item.label = group.back()->label;
        item.unit_price = price_text(any.hourly_micros);
        item.quantity = through - before;
        item.amount_cents = cents(capped(through, any)) - cents(capped(before, any));
        item.from = format_time(first == kForever ? from : first);
        item.to = format_time(std::max(last, first) - 1);
        item.region = any.region;
        out.push_back(std::move(item));
    }
    return out;
}

std::vector<TransferPool> transfer_pools(store::Transaction& tx, std::int64_t account_id,
                                         const Month& m, std::int64_t now) {
    struct Pool {
        std::int64_t gb_hours = 0;
        std::set<std::int64_t> linodes;
    };
    std::map<std::string, Pool> pools;
    std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> span;  // first start, last end
    std::set<std::int64_t> metered;
    std::map<std::int64_t, std::string> pool_of;
    for (const auto& l : UsageRepository(tx).overlapping(account_id, m.start, m.end)) {
        if (l.service != "linode") continue;
        const std::string region = l.region && own_transfer_price(*l.region) ? *l.region : "";
        pools[region].gb_hours += l.transfer_gb * hours(l, m.start, m.end);
        pool_of[l.entity_id] = region;
        auto [it, fresh] = span.try_emplace(l.entity_id, l.started, l.ended.value_or(kForever));
        if (!fresh) {
            it->second.first = std::min(it->second.first, l.started);
            it->second.second = std::max(it->second.second, l.ended.value_or(kForever));
        }
        if (l.metered) metered.insert(l.entity_id);
    }
    std::map<std::string, std::int64_t> sent;
    for (const auto& [id, region] : pool_of) {
        std::int64_t bytes = 0;
        if (metered.count(id) != 0) {
            // The account's bytes: from where the counter stood when it began billing the
            // Linode this month to where it stood when it stopped (or stands now).
            const auto mark = UsageRepository(tx).transfer_mark(account_id, id, m.name);
            const std::int64_t to = mark && mark->final_bytes
                                        ? *mark->final_bytes
                                        : stats::UsageRepository(tx).transfer(id, m.name).bytes_out;
            bytes = std::max<std::int64_t>(0, to - (mark ? mark->base : 0));
        } else {
            const auto [first, last] = span.at(id);
            const std::int64_t from = std::max(m.start, first);
            const std::int64_t to = std::min({m.end, last, now + 1});
            if (to > from) bytes = stats::generated_transfer(id, from, to).bytes_out;
        }
        sent[region] += bytes;
    }
    const std::int64_t month_hours = (m.end - m.start) / 3600;
    std::vector<TransferPool> out;
    for (const auto& [region, pool] : pools) {
        TransferPool p;
        p.region = region;
        p.quota = pool.gb_hours / month_hours;
        // Used in whole GB; billable by each GB begun past the quota.
        const std::int64_t past = sent[region] - p.quota * kGiB;
        p.used = sent[region] / kGiB;
        p.billable = past > 0 ? (past + kGiB - 1) / kGiB : 0;
        p.micros_per_gb = transfer_micros_per_gb(region);
        out.push_back(p);
    }
    return out;
}

namespace {

// Where the account's next invoice starts: the end of its last one, or its first use.
std::optional<std::int64_t> next_period(store::Transaction& tx, std::int64_t account_id,
                                        std::int64_t until) {
    if (auto billed = InvoiceRepository(tx).billed_until(account_id)) return billed;
    const auto lines = UsageRepository(tx).overlapping(account_id, 0, until);
    if (lines.empty()) return std::nullopt;
    return lines.front().started;
}

// Promotion credit for an invoice of `total_cents` in month `m`: from the account's first
// promotion with credit left, at most its monthly cap over the month's invoices.
std::int64_t apply_credit(store::Transaction& tx, const Month& m, std::int64_t total_cents,
                          std::int64_t now) {
    if (total_cents <= 0) return 0;
    PaymentRepository payments(tx);
    for (const auto& p : payments.promotions()) {
        const auto expires = parse_time(p.promo.expires);
        if (p.credit_remaining_cents <= 0 || (expires && *expires < now)) continue;
        const std::int64_t month_left =
            p.promo.monthly_cap_cents - InvoiceRepository(tx).promo_cents_between(m.start, m.end);
        const std::int64_t credit = std::min({p.credit_remaining_cents, month_left, total_cents});
        if (credit <= 0) continue;
        payments.spend_credit(p.promo.code, credit);
        return credit;
    }
    return 0;
}

}  // namespace

int close(store::Transaction& tx, std::int64_t account_id, std::int64_t until) {
    auto from = next_period(tx, account_id, until);
    if (!from) return 0;
    const auto saved = tx.scope();
    tx.set_scope(store::Scope::account(account_id));
    int written = 0;
    while (*from < until) {
        const Month m = month_at(*from);
        const std::int64_t to = std::min(m.end, until);
        auto items =
            hourly_items(UsageRepository(tx).overlapping(account_id, m.start, to), m, *from, to);
        if (to == m.end)
            for (const auto& pool : transfer_pools(tx, account_id, m, to)) {
                if (pool.billable == 0) continue;
                InvoiceItem item;
                item.label = "Network Transfer Overage - " +
                             (pool.region.empty() ? std::string("Global") : pool.region);
                item.type = "misc";
                item.unit_price = price_text(pool.micros_per_gb);
                item.quantity = pool.billable;
                item.amount_cents = cents(pool.billable * pool.micros_per_gb);
                item.from = format_time(m.start);
                item.to = format_time(m.end - 1);
                if (!pool.region.empty()) item.region = pool.region;
                items.push_back(std::move(item));
            }
        if (!items.empty()) {
            Invoice invoice;
            invoice.account_id = account_id;
            invoice.date = format_time(to);
            invoice.period_from = *from;
            invoice.period_to = to;
            for (const auto& i : items) {
                invoice.subtotal_cents += i.amount_cents;
                invoice.tax_cents += i.tax_cents;
            }
            invoice.total_cents = invoice.subtotal_cents + invoice.tax_cents;
            invoice.promo_cents = apply_credit(tx, m, invoice.total_cents, to);
            InvoiceRepository(tx).insert(invoice, items);
            ++written;
        }
        *from = to;
    }
    tx.set_scope(saved);
    return written;
}

int close_due(store::Transaction& tx, std::int64_t now) {
    const Month m = month_at(now);
    int written = 0;
    for (const auto account : InvoiceRepository(tx).accounts_due(m.start))
        written += close(tx, account, m.start);
    return written;
}

std::int64_t uninvoiced_cents(store::Transaction& tx, std::int64_t account_id, std::int64_t now) {
    // The second under way counts: a service begun now has begun its first hour.
    const std::int64_t until = now + 1;
    auto from = next_period(tx, account_id, until);
    std::int64_t total = 0;
    while (from && *from < until) {
        const Month m = month_at(*from);
        const std::int64_t to = std::min(m.end, until);
        for (const auto& i :
             hourly_items(UsageRepository(tx).overlapping(account_id, m.start, to), m, *from, to))
            total += i.amount_cents;
        *from = to;
    }
    return total;
}

}  // namespace linnet::billing
