// Placement: the emptiest live, active host of the region with room; none, a 400 on region.
#include "hosts/placement.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "core/error.hpp"
#include "hosts/hosts_fixture.hpp"

namespace linnet::hosts {
namespace {

class PlacementTest : public HostsFixture, public ::testing::Test {
  protected:
    PlacementTest() : HostsFixture("placement") {}
};

TEST_F(PlacementTest, TheEmptiestLiveHostOfTheRegionWithRoom) {
    const auto a = host("a", "n1", "us-east", 4096);
    const auto b = host("b", "n1", "us-east", 4096);
    host("c", "n1", "eu-west", 1'000'000);
    linode("one", "us-east", a);
    // b is emptier; c serves another region.
    EXPECT_EQ(place(tx(), "us-east", nanode()).id, b);
    EXPECT_EQ(place(tx(), "us-east", nanode()).id, a);
    EXPECT_EQ(HostRepository(tx()).find(a)->memory_used, 2048);
    EXPECT_EQ(HostRepository(tx()).find(b)->memory_used, 1024);
}

TEST_F(PlacementTest, APlacementGroupsChoiceNarrowsTheHosts) {
    const auto a = host("a", "n1", "us-east", 4096);
    const auto b = host("b", "n1", "us-east", 8192);
    const auto c = host("c", "n1", "us-east", 4096);
    // Anti-affinity: none of the members' hosts, the emptiest of the rest.
    EXPECT_EQ(place_among(tx(), "us-east", nanode(), {0, {b}, std::nullopt})->id, a);
    EXPECT_EQ(place_among(tx(), "us-east", nanode(), {0, {a, b}, std::nullopt})->id, c);
    EXPECT_FALSE(place_among(tx(), "us-east", nanode(), {0, {a, b, c}, std::nullopt}));
    // Affinity: the first member's host only, while it has room.
    for (int i = 0; i < 3; ++i)  // c holds one already: four fit
        EXPECT_EQ(place_among(tx(), "us-east", nanode(), {0, {}, c})->id, c);
    EXPECT_FALSE(place_among(tx(), "us-east", nanode(), {0, {}, c}));
    EXPECT_EQ(HostRepository(tx()).find(c)->memory_used, 4096);
}

TEST_F(PlacementTest, NoRoomNoLiveHostOrDrainingIsA400OnRegion) {
    const auto a = host("a", "n1", "us-east", 1024);
    host("dead", "n2", "us-east", 1'000'000, "sim", -1);
    EXPECT_EQ(place(tx(), "us-east", nanode()).id, a);
    try {
        place(tx(), "us-east", nanode());
        FAIL() << "placed on a full or dead host";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 400);
        EXPECT_NE(render_error(e).find("\"field\":\"region\""), std::string::npos);
    }
    const auto big = host("big", "n1", "us-east", 1'000'000);
    HostRepository(tx()).set_state(big, "draining");
    EXPECT_THROW(place(tx(), "us-east", nanode()), ApiError);
    HostRepository(tx()).set_state(big, "active");
    EXPECT_EQ(place(tx(), "us-east", nanode()).id, big);
}

TEST_F(PlacementTest, HostsHeldByAnotherTransactionAreWaitedForNotFull) {
    // A heartbeat renews every host of its node in one transaction; creates that come meanwhile
    // wait for it rather than find the region full.
    host("a", "n1", "us-east", 100'000);
    host("b", "n1", "us-east", 100'000);
    const auto type = nanode();
    store_.finish();
    auto heartbeat = store_.db().begin(store::Access::write);
    heartbeat->set_scope(store::Scope::system());
    HostRepository(*heartbeat).renew("n1", kNow + 60'000);
    auto create = std::async(std::launch::async, [&] {
        auto tx = store_.db().begin(store::Access::write);
        tx->set_scope(store::Scope::system());
        const auto host = place(*tx, "us-east", type);
        tx->commit();
        return host.name;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    heartbeat->commit();
    EXPECT_NO_THROW(EXPECT_EQ(create.get(), "a"));
}

TEST_F(PlacementTest, AHostOfEveryRegionServesAnyRegion) {
    Host h;
    h.name = h.node = h.uuid = "everywhere";
    h.driver = "qemu";
    h.memory = h.disk = 1'000'000;
    h.lease_until = kNow + 1000;
    const auto id = HostRepository(tx()).enrol(h, "x");
    EXPECT_EQ(place(tx(), "ap-south", nanode()).id, id);
    EXPECT_TRUE(HostRepository(tx()).find(id)->regions.empty());
}

TEST_F(PlacementTest, SharesFollowDeletesResizesAndMoves) {
    const auto a = host("a", "n1", "us-east", 100'000);
    const auto b = host("b", "n1", "us-east", 100'000);
    const auto id = linode("one", "us-east", a);
    resize(tx(), id, "g6-nanode-1", "g6-standard-2");
    EXPECT_EQ(HostRepository(tx()).find(a)->memory_used, 4096);
    ASSERT_TRUE(move(tx(), {id, "us-east", "running", 4096, 81920}, "us-east"));
    EXPECT_EQ(HostRepository(tx()).host_of(id), b);
    EXPECT_EQ(HostRepository(tx()).find(a)->memory_used, 0);
    EXPECT_EQ(HostRepository(tx()).find(b)->memory_used, 4096);
    release(tx(), id, "g6-standard-2");
    EXPECT_EQ(HostRepository(tx()).find(b)->memory_used, 0);
    EXPECT_EQ(HostRepository(tx()).find(b)->disk_used, 0);
}

TEST_F(PlacementTest, EnrollingAgainKeepsTheUuidAndADrain) {
    const auto a = host("a", "n1", "us-east", 4096);
    HostRepository(tx()).set_state(a, "draining");
    EXPECT_EQ(host("a", "n1", "us-east", 8192), a);
    const auto found = HostRepository(tx()).find("a");
    EXPECT_EQ(found->uuid, "uuid-a");
    EXPECT_EQ(found->memory, 8192);
    EXPECT_EQ(found->state, "draining");
    EXPECT_EQ(found->regions, std::vector<std::string>{"us-east"});
}

}  // namespace
}  // namespace linnet::hosts
