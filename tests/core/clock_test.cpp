// The clock seam: time moves or stops only when told, and every reader sees the same time.
#include "core/clock.hpp"

#include <gtest/gtest.h>

#include "core/time.hpp"

namespace linnet::clock {
namespace {

class ClockSeam : public ::testing::Test {
  protected:
    void TearDown() override { reset(); }
};

TEST_F(ClockSeam, FrozenTimeIsWhatEveryReaderSees) {
    freeze(TimePoint(std::chrono::seconds(1700000000)));
    EXPECT_EQ(unix_seconds(), 1700000000);
    EXPECT_EQ(unix_ms(), 1700000000000);
    EXPECT_EQ(unix_now(), 1700000000);
    EXPECT_EQ(now_utc(), "2023-11-14T22:13:20");
}

TEST_F(ClockSeam, AdvanceMovesFrozenAndRunningTime) {
    freeze(TimePoint(std::chrono::seconds(1000)));
    advance(std::chrono::hours(2));
    EXPECT_EQ(unix_seconds(), 1000 + 7200);
    thaw();
    const auto running = unix_seconds();
    reset();
    EXPECT_NEAR(static_cast<double>(running - unix_seconds()), 7200.0, 2.0);
}

TEST_F(ClockSeam, SecondsRoundTowardsThePast) {
    freeze(TimePoint(std::chrono::milliseconds(-1)));
    EXPECT_EQ(unix_seconds(), -1);
}

}  // namespace
}  // namespace linnet::clock
