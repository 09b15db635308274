// Invoice items from usage lines: hours begun, the monthly cap, a month invoiced in parts that
// add up to the whole, and prices written as the API writes them.
#include "billing/invoicing.hpp"

#include <gtest/gtest.h>

namespace linnet::billing {
namespace {

constexpr std::int64_t kHour = 3600;
// January 2027: 744 hours.
const Month kJanuary = month_of(2027, 1);

UsageLine nanode(std::int64_t started, std::optional<std::int64_t> ended = std::nullopt,
                 std::int64_t id = 7) {
    UsageLine l;
    l.entity_type = "linode";
    l.entity_id = id;
    l.service = "linode";
    l.plan = "g6-nanode-1";
    l.label = "Nanode 1GB - web (7)";
    l.region = "us-east";
    l.hourly_micros = 7'500;
    l.monthly_micros = 5'000'000;
    l.started = started;
    l.ended = ended;
    return l;
}

std::int64_t total(const std::vector<InvoiceItem>& items) {
    std::int64_t cents = 0;
    for (const auto& i : items) cents += i.amount_cents;
    return cents;
}

TEST(InvoicingTest, AnHourBegunIsAnHourBilled) {
    const std::int64_t t0 = kJanuary.start + 10 * kHour + 1800;
    const auto items =
        hourly_items({nanode(t0, t0 + 10 * kHour + 1)}, kJanuary, kJanuary.start, kJanuary.end);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].quantity, 11);
    EXPECT_EQ(items[0].unit_price, "0.0075");
    EXPECT_EQ(items[0].amount_cents, 8);  // 0.0825
    EXPECT_EQ(items[0].from, "2027-01-01T10:30:00");
    EXPECT_EQ(items[0].to, "2027-01-01T20:30:00");
    EXPECT_EQ(items[0].region, "us-east");
}

TEST(InvoicingTest, AWholeMonthCostsAtMostTheMonthlyPrice) {
    const auto items =
        hourly_items({nanode(kJanuary.start - 86400)}, kJanuary, kJanuary.start, kJanuary.end);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].quantity, 744);
    EXPECT_EQ(items[0].amount_cents, 500);  // 5.58 capped
    EXPECT_EQ(items[0].to, "2027-01-31T23:59:59");
}

TEST(InvoicingTest, TheCapHoldsOverEveryLineOfOneService) {
    // Backups turned off and on again: one item, capped once.
    auto first = nanode(kJanuary.start, kJanuary.start + 400 * kHour);
    auto second = nanode(kJanuary.start + 401 * kHour);
    const auto items = hourly_items({first, second}, kJanuary, kJanuary.start, kJanuary.end);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].quantity, 400 + 343);
    EXPECT_EQ(items[0].amount_cents, 500);
}

TEST(InvoicingTest, AMonthInvoicedInPartsAddsUpToTheWhole) {
    const std::vector<UsageLine> lines{nanode(kJanuary.start + 1800),
                                       nanode(kJanuary.start + 5 * kHour, std::nullopt, 8)};
    const std::int64_t cut = kJanuary.start + 600 * kHour + 900;
    const auto whole = hourly_items(lines, kJanuary, kJanuary.start, kJanuary.end);
    const auto before = hourly_items(lines, kJanuary, kJanuary.start, cut);
    const auto after = hourly_items(lines, kJanuary, cut, kJanuary.end);
    EXPECT_EQ(total(before) + total(after), total(whole));
    EXPECT_EQ(total(whole), 1000);
    ASSERT_EQ(after.size(), 2u);
    // The first Nanode reached its cap in the first part: the rest of the month is free.
    EXPECT_EQ(before[0].amount_cents, 450);  // 600 hours begun
    EXPECT_EQ(after[0].amount_cents, 50);
    EXPECT_EQ(before[0].quantity + after[0].quantity, whole[0].quantity);
}

TEST(InvoicingTest, LinesOutsideThePeriodBillNothing) {
    const auto items = hourly_items({nanode(kJanuary.start - 10 * kHour, kJanuary.start)}, kJanuary,
                                    kJanuary.start, kJanuary.end);
    EXPECT_TRUE(items.empty());
}

TEST(InvoicingTest, PricesKeepThePlacesTheyNeed) {
    auto volume = nanode(kJanuary.start);
    volume.service = "volume";
    volume.hourly_micros = 3'000;  // 20 GB at 0.00015
    volume.monthly_micros = 2'000'000;
    auto nodebalancer = nanode(kJanuary.start, std::nullopt, 9);
    nodebalancer.hourly_micros = 15'000;
    nodebalancer.monthly_micros = 10'000'000;
    const auto items =
        hourly_items({volume, nodebalancer}, kJanuary, kJanuary.start, kJanuary.start + kHour);
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].unit_price, "0.003");
    EXPECT_EQ(items[1].unit_price, "0.015");
}

}  // namespace
}  // namespace linnet::billing
