// Reading a VM process's CPU time from its /proc stat line.
#include "compute/qemu/qemu_counters.hpp"

#include <gtest/gtest.h>

namespace linnet::compute::qemu_counters {
namespace {

TEST(QemuCounters, CpuSecondsAreUserPlusSystemTicks) {
    // A command name with spaces and parentheses; utime 250, stime 150 ticks.
    const std::string stat =
        "4242 (qemu (linode 7)) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 150 0 0 20 0 9 0 "
        "1234 5000000 3000";
    EXPECT_DOUBLE_EQ(*cpu_seconds_of_stat(stat, 100), 4.0);
    EXPECT_FALSE(cpu_seconds_of_stat("garbage", 100));
    EXPECT_FALSE(cpu_seconds_of_stat("1 (x) S 1 2", 100));
    EXPECT_FALSE(cpu_seconds_of_stat(stat, 0));
}

}  // namespace
}  // namespace linnet::compute::qemu_counters
