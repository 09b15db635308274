// The shared rate-limit windows: grants in batches that never pass the quota in total, a window
// that starts over once it has ended, and the sweep of ended windows.
#include "limits/rate_window_repository.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"

namespace linnet::limits {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

class RateWindowRepositoryTest : public ::testing::Test {
  protected:
    RateWindowRepositoryTest() : store_("rate-window-repository") {}
    RateWindow grant(const std::string& identity, int quota, int batch, std::int64_t now) {
        auto tx = store_.db().begin(store::Access::counter);
        auto w = RateWindowRepository(*tx).grant("*", identity, quota, batch, now, 60);
        tx->commit();
        return w;
    }
    store::TempStore store_;
};

TEST_F(RateWindowRepositoryTest, GrantsBatchesUpToTheQuotaAndNoMore) {
    store_.finish();
    auto first = grant("token:1", 10, 4, kNow);
    EXPECT_EQ(first.start, kNow);
    EXPECT_EQ(first.end, kNow + 60);
    EXPECT_EQ(first.granted, 4);
    EXPECT_EQ(first.lease, 4);
    EXPECT_EQ(grant("token:1", 10, 4, kNow + 1).granted, 8);
    // The last batch is what is left of the quota.
    auto last = grant("token:1", 10, 4, kNow + 2);
    EXPECT_EQ(last.lease, 2);
    EXPECT_EQ(last.granted, 10);
    // Used up: nothing more, and the window still says when it starts over.
    auto refused = grant("token:1", 10, 4, kNow + 3);
    EXPECT_EQ(refused.lease, 0);
    EXPECT_EQ(refused.granted, 10);
    EXPECT_EQ(refused.start, kNow);
    EXPECT_EQ(refused.end, kNow + 60);
    // Callers and limits have windows of their own.
    EXPECT_EQ(grant("token:2", 10, 4, kNow + 3).lease, 4);
    auto tx = store_.db().begin(store::Access::counter);
    EXPECT_EQ(RateWindowRepository(*tx).grant("get-images", "token:1", 3, 5, kNow, 60).lease, 3);
}

TEST_F(RateWindowRepositoryTest, AnEndedWindowStartsOver) {
    store_.finish();
    grant("token:1", 5, 5, kNow);
    EXPECT_EQ(grant("token:1", 5, 5, kNow + 59).lease, 0);
    auto next = grant("token:1", 5, 2, kNow + 60);
    EXPECT_EQ(next.start, kNow + 60);
    EXPECT_EQ(next.end, kNow + 120);
    EXPECT_EQ(next.granted, 2);
    EXPECT_EQ(next.lease, 2);
}

TEST_F(RateWindowRepositoryTest, SweepRemovesEndedWindowsOnly) {
    store_.finish();
    grant("token:1", 5, 1, kNow);
    grant("token:2", 5, 1, kNow + 30);
    auto tx = store_.db().begin(store::Access::counter);
    RateWindowRepository windows(*tx);
    EXPECT_EQ(windows.sweep(kNow + 61), 1);
    EXPECT_FALSE(windows.find("*", "token:1"));
    ASSERT_TRUE(windows.find("*", "token:2"));
    EXPECT_EQ(windows.find("*", "token:2")->granted, 1);
    tx->commit();
}

}  // namespace
}  // namespace linnet::limits
