// Backups: when the automatic one is due, and which backups are kept once one is taken.
#include "backups/backups.hpp"

#include <gtest/gtest.h>

namespace linnet::backups {
namespace {

namespace json = boost::json;

constexpr std::int64_t kDay = 24 * 3600;
constexpr std::int64_t kMidnight = 1'796'083'200;  // a UTC midnight

json::object window(const char* w) {
    return json::object{{"day", "Monday"}, {"window", w}};
}

TEST(NextWindow, NowInsideTheWindowElseItsNextStart) {
    // W10: 10:00-12:00 UTC.
    EXPECT_EQ(next_window(kMidnight + 9 * 3600, window("W10"), 1), kMidnight + 10 * 3600);
    EXPECT_EQ(next_window(kMidnight + 10 * 3600 + 5, window("W10"), 1), kMidnight + 10 * 3600 + 5);
    EXPECT_EQ(next_window(kMidnight + 11 * 3600 + 3599, window("W10"), 1),
              kMidnight + 11 * 3600 + 3599);
    EXPECT_EQ(next_window(kMidnight + 12 * 3600, window("W10"), 1), kMidnight + kDay + 10 * 3600);
    EXPECT_EQ(next_window(kMidnight + 23 * 3600, window("W22"), 1), kMidnight + 23 * 3600);
    EXPECT_EQ(next_window(kMidnight + 3600, window("W0"), 1), kMidnight + 3600);
    // Two hours on, from inside the window: tomorrow's.
    EXPECT_EQ(next_window(kMidnight + 10 * 3600 + 2 * 3600, window("W10"), 1),
              kMidnight + kDay + 10 * 3600);
}

TEST(NextWindow, SchedulingPicksAWindowFromTheLinode) {
    const json::object scheduling{{"day", "Scheduling"}, {"window", "Scheduling"}};
    const json::object none{{"day", nullptr}, {"window", nullptr}};
    // Linode 7: W14.
    EXPECT_EQ(next_window(kMidnight, scheduling, 7), kMidnight + 14 * 3600);
    EXPECT_EQ(next_window(kMidnight, none, 7), kMidnight + 14 * 3600);
    EXPECT_EQ(next_window(kMidnight, none, 12), kMidnight);
}

Backup backup(std::int64_t id, const char* type, const char* status = "successful") {
    Backup b;
    b.id = id;
    b.type = type;
    b.status = status;
    return b;
}

TEST(KeptAfter, OneSnapshotAndTheNewestThreeAutomatic) {
    // Newest first.
    const std::vector<Backup> all{backup(9, "snapshot"), backup(8, "auto"), backup(7, "auto"),
                                  backup(6, "snapshot"), backup(5, "auto"), backup(4, "auto")};
    // Never more than three automatic ones.
    EXPECT_EQ(kept_after(all, 9), (std::vector<std::int64_t>{9, 8, 7, 5}));
    EXPECT_EQ(kept_after(all, 8), (std::vector<std::int64_t>{8, 9, 7, 6, 5}));
    const std::vector<Backup> autos{backup(3, "auto"), backup(2, "auto"), backup(1, "auto")};
    EXPECT_EQ(kept_after(autos, 3), (std::vector<std::int64_t>{3, 2, 1}));
}

TEST(KeptAfter, FailedBackupsTakeNoPlace) {
    const std::vector<Backup> all{backup(9, "auto"),
                                  backup(8, "auto", "failed"),
                                  backup(7, "auto", "failed"),
                                  backup(6, "auto"),
                                  backup(5, "auto"),
                                  backup(4, "snapshot", "failed"),
                                  backup(3, "snapshot", "pending")};
    // The two failed automatic ones and the failed snapshot go; 6 and 5 stay beside 9; a
    // snapshot still being taken stays.
    EXPECT_EQ(kept_after(all, 9), (std::vector<std::int64_t>{9, 6, 5, 3}));
}

}  // namespace
}  // namespace linnet::backups
