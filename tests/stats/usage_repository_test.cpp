// A Linode's usage buckets and monthly transfer through UsageRepository: sums that add up,
// steps that sum buckets, retention, and rows that go with their Linode.
#include "stats/usage_repository.hpp"

#include <gtest/gtest.h>

#include "linodes/two_linodes.hpp"
#include "store/temp_store.hpp"

namespace linnet::stats {
namespace {

class UsageRepositoryTest : public ::testing::Test {
  protected:
    UsageRepositoryTest() { linodes::add_two_linodes(store_); }
    store::TempStore store_{"usage-repository"};
    UsageRepository usage_{store_.tx()};
};

Usage sample(std::int64_t at, double seconds, double cpu, double in, double out) {
    return {at, seconds, cpu, seconds * 1000, 0, in, out};
}

TEST_F(UsageRepositoryTest, SamplesOfOneBucketAddUp) {
    usage_.add(1, sample(600, 60, 3, 100, 50), "2026-11");
    usage_.add(1, sample(600, 30, 1.5, 10, 5), "2026-11");
    usage_.add(2, sample(600, 60, 60, 1, 1), "2026-11");
    const auto rows = usage_.between(1, 0, 10000);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at, 600);
    EXPECT_DOUBLE_EQ(rows[0].seconds, 90);
    EXPECT_DOUBLE_EQ(rows[0].cpu_seconds, 4.5);
    EXPECT_DOUBLE_EQ(rows[0].io_bytes, 90000);
    EXPECT_DOUBLE_EQ(rows[0].net_in, 110);
    const auto t = usage_.transfer(1, "2026-11");
    EXPECT_EQ(t.bytes_in, 110);
    EXPECT_EQ(t.bytes_out, 55);
    EXPECT_EQ(usage_.transfer(1, "2026-10").bytes_out, 0);
}

TEST_F(UsageRepositoryTest, StepsSumTheirBucketsInTimeOrder) {
    for (std::int64_t at = 3600; at < 3 * 3600; at += kBucketSeconds)
        usage_.add(1, sample(at, 300, 3, 0, 0), "2026-11");
    const auto buckets = usage_.between(1, 3600, 3 * 3600);
    EXPECT_EQ(buckets.size(), 24u);
    const auto hours = usage_.between(1, 3600, 3 * 3600, 3600);
    ASSERT_EQ(hours.size(), 2u);
    EXPECT_EQ(hours[0].at, 3600);
    EXPECT_EQ(hours[1].at, 7200);
    EXPECT_DOUBLE_EQ(hours[1].seconds, 3600);
    EXPECT_DOUBLE_EQ(hours[1].cpu_seconds, 36);
    // The window's end is not included.
    EXPECT_EQ(usage_.between(1, 3600, 3900).size(), 1u);
}

TEST_F(UsageRepositoryTest, OldBucketsAreForgottenAndRowsGoWithTheirLinode) {
    usage_.add(1, sample(300, 60, 1, 5, 5), "1970-01");
    usage_.add(1, sample(900, 60, 1, 5, 5), "1970-01");
    EXPECT_EQ(usage_.forget_before(600), 1);
    EXPECT_EQ(usage_.between(1, 0, 10000).size(), 1u);
    EXPECT_EQ(usage_.transfer(1, "1970-01").bytes_in, 10);
    store_.tx().execute("DELETE FROM linodes WHERE id = 1");
    EXPECT_TRUE(usage_.between(1, 0, 10000).empty());
    EXPECT_EQ(usage_.transfer(1, "1970-01").bytes_in, 0);
}

}  // namespace
}  // namespace linnet::stats
