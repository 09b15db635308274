// Draining: sim Linodes move at once, qemu Linodes get a migration scheduled, and a drained host
// takes no new Linode until it is activated.
#include "hosts/drain.hpp"

#include <gtest/gtest.h>

#include "hosts/hosts_fixture.hpp"
#include "hosts/placement.hpp"

namespace linnet::hosts {
namespace {

class DrainTest : public HostsFixture, public ::testing::Test {
  protected:
    DrainTest() : HostsFixture("drain") {}
};

TEST_F(DrainTest, SimLinodesMoveAndTheHostTakesNoMore) {
    const auto a = host("n1/us-east/1", "n1", "us-east", 100'000);
    const auto b = host("n2/us-east/1", "n2", "us-east", 100'000);
    const auto one = linode("one", "us-east", a);
    auto drained = drain(tx(), "n1/us-east/1");
    ASSERT_TRUE(drained);
    EXPECT_EQ(drained->hosts, 1);
    EXPECT_EQ(drained->moved, 1);
    EXPECT_EQ(HostRepository(tx()).host_of(one), b);
    EXPECT_EQ(HostRepository(tx()).find(a)->state, "draining");
    EXPECT_EQ(place(tx(), "us-east", nanode()).id, b);
    ASSERT_TRUE(activate(tx(), "n1/us-east/1"));
    EXPECT_EQ(place(tx(), "us-east", nanode()).id, a);
    EXPECT_FALSE(drain(tx(), "nobody"));
    EXPECT_FALSE(activate(tx(), "nobody"));
}

TEST_F(DrainTest, ANodesNameDrainsAllItsHostsAndLinodesStayWithoutRoom) {
    const auto a = host("n1/us-east/1", "n1", "us-east", 100'000);
    const auto b = host("n1/us-east/2", "n1", "us-east", 100'000);
    const auto one = linode("one", "us-east", a);
    linode("two", "us-east", b);
    // Nowhere else to go: the other host of n1 is drained too.
    auto drained = drain(tx(), "n1");
    ASSERT_TRUE(drained);
    EXPECT_EQ(drained->hosts, 2);
    EXPECT_EQ(drained->moved, 0);
    EXPECT_EQ(drained->stayed, 2);
    EXPECT_EQ(HostRepository(tx()).host_of(one), a);
}

TEST_F(DrainTest, QemuLinodesGetAMigrationScheduled) {
    const auto q = host("q1", "q1", "us-east", 100'000, "qemu");
    host("q2", "q2", "us-east", 100'000, "qemu");
    const auto one = linode("one", "us-east", q);
    auto drained = drain(tx(), "q1");
    ASSERT_TRUE(drained);
    EXPECT_EQ(drained->scheduled, 1);
    EXPECT_EQ(HostRepository(tx()).host_of(one), q);
    EXPECT_EQ(HostRepository(tx()).migrations_scheduled(q), 1);
}

}  // namespace
}  // namespace linnet::hosts
