// Duties: one holder at a time; another takes over once the holder's lease runs out.
#include "hosts/duty_repository.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"

namespace linnet::hosts {
namespace {

TEST(DutyRepository, OneHolderAtATimeUntilItsLeaseRunsOut) {
    store::TempStore store("duties");
    DutyRepository duties(store.tx());
    EXPECT_TRUE(duties.hold("hosts", "a", 1'000, 2'000));
    EXPECT_FALSE(duties.hold("hosts", "b", 1'500, 2'500));
    EXPECT_TRUE(duties.hold("hosts", "a", 1'900, 2'900));  // renewed
    EXPECT_FALSE(duties.hold("hosts", "b", 2'800, 3'800));
    EXPECT_TRUE(duties.hold("hosts", "b", 2'901, 3'901));  // a's lease ran out
    EXPECT_FALSE(duties.hold("hosts", "a", 3'000, 4'000));
    EXPECT_TRUE(duties.hold("dns", "a", 3'000, 4'000));  // another duty
    duties.give_up("hosts", "b");
    EXPECT_TRUE(duties.hold("hosts", "a", 3'000, 4'000));
}

}  // namespace
}  // namespace linnet::hosts
