// The sampler over a driver that reports set counters: the first reading sets a baseline, the
// next ones add what was used since to the Linode's bucket (swap drives apart), a counter that
// went back counts from zero, and Linodes that are gone or stopped are left alone.
#include "stats/sampler.hpp"

#include <gtest/gtest.h>

#include "linodes/two_linodes.hpp"
#include "stats/usage_repository.hpp"
#include "store/temp_store.hpp"

namespace linnet::stats {
namespace {

class SetCounters : public compute::Driver {
  public:
    std::string name() const override { return "counters"; }
    std::chrono::milliseconds perform(compute::Operation, const compute::Machine&) override {
        return {};
    }
    std::map<std::int64_t, compute::Counters> counters() override { return now; }
    std::map<std::int64_t, compute::Counters> now;
};

compute::Counters reading(double cpu, double disk, double swap, double in, double out) {
    compute::Counters c;
    c.cpu_seconds = cpu;
    c.drive_bytes = {{"disk10", disk}, {"disk11", swap}};
    c.net_in = in;
    c.net_out = out;
    return c;
}

class SamplerTest : public ::testing::Test {
  protected:
    SamplerTest() {
        linodes::add_two_linodes(store_);
        store_.tx().execute(
            "INSERT INTO disks (id, linode_id, label, size, filesystem, status, created, updated) "
            "VALUES (10, 1, 'root', 1000, 'ext4', 'ready', 'x', 'x'), (11, 1, 'swap', 512, "
            "'swap', 'ready', 'x', 'x')");
        store_.finish();
    }
    std::vector<Usage> buckets(std::int64_t linode) {
        auto tx = store_.db().begin_in(store::Access::read, store::Scope::system());
        return UsageRepository(*tx).between(linode, 0, 1LL << 40);
    }
    Transfer transfer(std::int64_t linode, const std::string& month) {
        auto tx = store_.db().begin_in(store::Access::read, store::Scope::system());
        return UsageRepository(*tx).transfer(linode, month);
    }
    store::TempStore store_{"sampler"};
    SetCounters driver_;
    Sampler sampler_{store_.db(), driver_};
};

// 2026-11-30T00:00:00Z, a bucket's start.
constexpr std::int64_t kStart = 1795996800LL * 1000;

TEST_F(SamplerTest, WhatWasUsedSinceTheLastReadingGoesToTheBucket) {
    driver_.now = {{1, reading(100, 5000, 100, 1000, 200)}};
    sampler_.sample(kStart);
    EXPECT_TRUE(buckets(1).empty());  // a baseline only
    driver_.now = {{1, reading(106, 8000, 1124, 3000, 700)}};
    sampler_.sample(kStart + 60000);
    auto rows = buckets(1);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at, kStart / 1000);
    EXPECT_DOUBLE_EQ(rows[0].seconds, 60);
    EXPECT_DOUBLE_EQ(rows[0].cpu_seconds, 6);
    EXPECT_DOUBLE_EQ(rows[0].io_bytes, 3000);
    EXPECT_DOUBLE_EQ(rows[0].swap_bytes, 1024);
    EXPECT_DOUBLE_EQ(rows[0].net_in, 2000);
    EXPECT_DOUBLE_EQ(rows[0].net_out, 500);
    EXPECT_EQ(transfer(1, "2026-11").bytes_out, 500);
    // A restarted VM's counters start again: what it shows is what it used.
    driver_.now = {{1, reading(2, 100, 0, 10, 20)}};
    sampler_.sample(kStart + 120000);
    rows = buckets(1);
    EXPECT_DOUBLE_EQ(rows[0].cpu_seconds, 8);
    EXPECT_DOUBLE_EQ(rows[0].net_out, 520);
}

TEST_F(SamplerTest, WithoutNetworkCountsOnlyCpuAndDisksAreKept) {
    auto c = reading(10, 0, 0, 0, 0);
    c.net_in.reset();
    c.net_out.reset();
    driver_.now = {{1, c}};
    sampler_.sample(kStart);
    c.cpu_seconds = 13;
    driver_.now = {{1, c}};
    sampler_.sample(kStart + 30000);
    const auto rows = buckets(1);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_DOUBLE_EQ(rows[0].cpu_seconds, 3);
    EXPECT_DOUBLE_EQ(rows[0].net_in, 0);
    EXPECT_EQ(transfer(1, "2026-11").bytes_in, 0);
}

TEST_F(SamplerTest, LinodesThatAreGoneOrNewAreLeftOut) {
    driver_.now = {{1, reading(1, 0, 0, 0, 0)}, {99, reading(1, 0, 0, 0, 0)}};
    sampler_.sample(kStart);
    // Linode 2 appears (a baseline), 99 does not exist, 1 stopped (forgotten).
    driver_.now = {{2, reading(5, 0, 0, 0, 0)}, {99, reading(9, 0, 0, 0, 0)}};
    sampler_.sample(kStart + 60000);
    EXPECT_TRUE(buckets(2).empty());
    EXPECT_TRUE(buckets(99).empty());
    // 1 comes back: a new baseline, not the time since it was last seen.
    driver_.now = {{1, reading(50, 0, 0, 0, 0)}};
    sampler_.sample(kStart + 120000);
    EXPECT_TRUE(buckets(1).empty());
}

}  // namespace
}  // namespace linnet::stats
