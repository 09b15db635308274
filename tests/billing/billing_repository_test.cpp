// Usage lines and invoices through their repositories, on both engines: lines that run and end,
// what overlaps a period, the accounts with use no invoice covers, and closing a period into an
// invoice with its items and a promotion's credit.
#include <gtest/gtest.h>

#include "billing/invoice_repository.hpp"
#include "billing/invoicing.hpp"
#include "billing/payment_repository.hpp"
#include "billing/usage_repository.hpp"
#include "linodes/two_linodes.hpp"
#include "stats/usage_repository.hpp"
#include "store/temp_store.hpp"

namespace linnet::billing {
namespace {

constexpr std::int64_t kHour = 3600;
const Month kJanuary = month_of(2027, 1);

class BillingRepositoryTest : public ::testing::Test {
  protected:
    UsageLine line(std::int64_t entity_id, std::int64_t started) {
        UsageLine l;
        l.account_id = store_.account_id();
        l.entity_type = "linode";
        l.entity_id = entity_id;
        l.service = "linode";
        l.plan = "g6-standard-1";
        l.label = "Linode 2GB - box (" + std::to_string(entity_id) + ")";
        l.region = "us-east";
        l.hourly_micros = 18'000;
        l.monthly_micros = 12'000'000;
        l.transfer_gb = 2000;
        l.started = started;
        return l;
    }
    store::TempStore store_{"billing-repository"};
    UsageRepository usage_{store_.tx()};
    InvoiceRepository invoices_{store_.tx()};
};

TEST_F(BillingRepositoryTest, LinesRunUntilTheyAreClosed) {
    usage_.open(line(1, kJanuary.start));
    usage_.open(line(2, kJanuary.start + kHour));
    auto running = usage_.running("linode", 1);
    ASSERT_EQ(running.size(), 1u);
    EXPECT_EQ(running[0].plan, "g6-standard-1");
    EXPECT_EQ(running[0].region, "us-east");
    EXPECT_EQ(running[0].transfer_gb, 2000);
    EXPECT_FALSE(running[0].ended);
    usage_.close(running[0].id, kJanuary.start + 2 * kHour);
    EXPECT_TRUE(usage_.running("linode", 1).empty());
    // A period after its end does not hold it; one that it ran in does.
    const auto later =
        usage_.overlapping(store_.account_id(), kJanuary.start + 3 * kHour, kJanuary.end);
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].entity_id, 2);
    EXPECT_EQ(usage_.overlapping(store_.account_id(), kJanuary.start, kJanuary.end).size(), 2u);
    EXPECT_TRUE(usage_.overlapping(store_.account_id() + 1, kJanuary.start, kJanuary.end).empty());
}

TEST_F(BillingRepositoryTest, ClosingAMonthWritesItsInvoiceOnce) {
    usage_.open(line(1, kJanuary.start + 1800));
    usage_.open(line(2, kJanuary.start));
    usage_.close(usage_.running("linode", 2).at(0).id, kJanuary.start + 10 * kHour);
    store_.tx().set_scope(store::Scope::system());
    EXPECT_EQ(invoices_.accounts_due(kJanuary.end), std::vector<std::int64_t>{store_.account_id()});
    EXPECT_EQ(close_due(store_.tx(), kJanuary.end + 60), 1);
    EXPECT_TRUE(invoices_.accounts_due(kJanuary.end).empty());
    EXPECT_EQ(close_due(store_.tx(), kJanuary.end + 120), 0);
    EXPECT_EQ(invoices_.billed_until(store_.account_id()), kJanuary.end);
    store_.tx().set_scope(store::Scope::account(store_.account_id()));
    // 744 hours capped at 12.00, and 10 hours at 0.018.
    EXPECT_EQ(invoices_.invoiced_cents(), 1200 + 18);
    EXPECT_EQ(invoices_.promo_cents(), 0);
    EXPECT_EQ(uninvoiced_cents(store_.tx(), store_.account_id(), kJanuary.end + kHour), 4);
}

TEST_F(BillingRepositoryTest, APromotionPaysUpToItsMonthlyCap) {
    PaymentRepository payments(store_.tx());
    store_.tx().set_scope(store::Scope::system());
    payments.save_promo({"SPRING", 1500, 1000, "2099-01-01T00:00:00", "credit"});
    store_.tx().set_scope(store::Scope::account(store_.account_id()));
    payments.add_promotion({"SPRING", 1500, 1000, "2099-01-01T00:00:00", "credit"},
                           "2027-01-01T00:00:00");
    usage_.open(line(1, kJanuary.start));
    // The month in two parts: $9.00 (500 hours) and then $3.00; the cap is $10.00 a month.
    const std::int64_t cut = kJanuary.start + 500 * kHour;
    EXPECT_EQ(close(store_.tx(), store_.account_id(), cut), 1);
    EXPECT_EQ(close(store_.tx(), store_.account_id(), kJanuary.end), 1);
    EXPECT_EQ(invoices_.invoiced_cents(), 1200);
    EXPECT_EQ(invoices_.promo_cents(), 1000);
    EXPECT_EQ(payments.promotions().at(0).credit_remaining_cents, 500);
    EXPECT_EQ(invoices_.promo_cents_between(kJanuary.start, kJanuary.end), 1000);
}

TEST_F(BillingRepositoryTest, EachAccountsPoolCountsTheBytesSentWhileItHadTheLinode) {
    // A qemu Linode that sent 6 GiB in January for the account, then passed to another that it
    // sent 4 GiB more for; each pool counts its own.
    linodes::add_two_linodes(store_);
    constexpr std::int64_t kGiB = 1024LL * 1024 * 1024;
    auto& tx = store_.tx();
    const std::int64_t a = store_.account_id();
    tx.set_scope(store::Scope::system());
    const std::int64_t b =
        tx.query(
              "INSERT INTO accounts (doc, settings, created) VALUES ('{}', '{}', 'x') "
              "RETURNING id")
            .at(0)
            .integer("id");
    const std::int64_t moved = kJanuary.start + 100 * kHour;
    auto first = line(1, kJanuary.start);
    first.metered = true;
    first.transfer_gb = 0;
    usage_.open(first);
    usage_.mark_transfer_start(a, 1, kJanuary.name, 0);
    stats::UsageRepository counters(tx);
    counters.add(1, {kJanuary.start, 60, 0, 0, 0, 0, 6.0 * kGiB}, kJanuary.name);
    usage_.close(usage_.running("linode", 1).at(0).id, moved);
    usage_.mark_transfer_end(a, 1, kJanuary.name, 6 * kGiB);
    auto second = first;
    second.account_id = b;
    second.started = moved;
    usage_.open(second);
    usage_.mark_transfer_start(b, 1, kJanuary.name, 6 * kGiB);
    counters.add(1, {moved, 60, 0, 0, 0, 0, 4.0 * kGiB}, kJanuary.name);

    const auto pool_a = transfer_pools(tx, a, kJanuary, kJanuary.end).at(0);
    const auto pool_b = transfer_pools(tx, b, kJanuary, kJanuary.end).at(0);
    EXPECT_EQ(pool_a.used, 6);
    EXPECT_EQ(pool_a.billable, 6);
    EXPECT_EQ(pool_b.used, 4);
    // The counters go with a deleted Linode; the mark keeps what the account owes.
    tx.execute("DELETE FROM linode_transfer WHERE linode_id = 1");
    EXPECT_EQ(transfer_pools(tx, a, kJanuary, kJanuary.end).at(0).used, 6);
}

}  // namespace
}  // namespace linnet::billing
