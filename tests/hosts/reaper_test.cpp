// Lost hosts: sim Linodes move to a live host of their region; qemu Linodes go offline with an
// event, their jobs fail, and they resume where the host comes back.
#include "hosts/reaper.hpp"

#include <gtest/gtest.h>

#include "hosts/hosts_fixture.hpp"
#include "jobs/add_job.hpp"
#include "jobs/event_repository.hpp"
#include "jobs/events.hpp"
#include "jobs/job_repository.hpp"
#include "jobs/jobs.hpp"
#include "linodes/instances.hpp"

namespace linnet::hosts {
namespace {

class ReaperTest : public HostsFixture, public ::testing::Test {
  protected:
    ReaperTest() : HostsFixture("reaper") {}
};

TEST_F(ReaperTest, LiveHostsAreLeftAlone) {
    const auto a = host("a", "n1", "us-east", 100'000);
    linode("one", "us-east", a);
    const auto reaped = reap_lost_hosts(tx(), kNow);
    EXPECT_EQ(reaped.hosts, 0);
    EXPECT_EQ(HostRepository(tx()).find(a)->state, "active");
}

TEST_F(ReaperTest, ALostSimHostsLinodesMoveToALiveHostOfTheirRegion) {
    const auto dead = host("dead", "n1", "us-east", 100'000, "sim", 1'000);
    const auto live = host("live", "n2", "us-east", 100'000);
    const auto elsewhere = host("elsewhere", "n2", "eu-west", 100'000);
    const auto one = linode("one", "us-east", dead);
    const auto two = linode("two", "us-east", dead);
    const auto job = jobs::add_job(tx(), "linode_boot", one, 0, {});
    // Claimed by the dead node: its lease runs out with the host's.
    ASSERT_TRUE(jobs::claim_due(tx(), "n1", kNow, 1'000));
    EXPECT_FALSE(jobs::claim_due(tx(), "n2", kNow + 2'000, 1'000));

    const auto reaped = reap_lost_hosts(tx(), kNow + 2'000);
    EXPECT_EQ(reaped.hosts, 1);
    EXPECT_EQ(reaped.moved, 2);
    HostRepository hosts(tx());
    EXPECT_EQ(hosts.find(dead)->state, "lost");
    EXPECT_EQ(hosts.host_of(one), live);
    EXPECT_EQ(hosts.host_of(two), live);
    EXPECT_EQ(hosts.find(live)->memory_used, 2048);
    EXPECT_EQ(hosts.find(dead)->memory_used, 0);
    EXPECT_EQ(hosts.find(elsewhere)->memory_used, 0);
    EXPECT_EQ(linodes::find(tx(), one)->settings.at("host_uuid"), "uuid-live");
    EXPECT_EQ(linodes::find(tx(), one)->status, "running");
    // The job goes on on the live node.
    EXPECT_EQ(jobs::claim_due(tx(), "n2", kNow + 2'000, 1'000)->id, job);
    // A lost host is reaped once.
    EXPECT_EQ(reap_lost_hosts(tx(), kNow + 3'000).hosts, 0);
    // When its node comes back it is active again (and empty).
    host("dead", "n1", "us-east", 100'000, "sim", 10'000);
    EXPECT_EQ(hosts.find(dead)->state, "active");
}

TEST_F(ReaperTest, ALostQemuHostsLinodesGoOfflineTheirJobsFailAndTheyCanResume) {
    const auto dead = host("dead", "n1", "us-east", 100'000, "qemu", 1'000);
    host("live", "n2", "us-east", 100'000, "qemu");
    const auto one = linode("one", "us-east", dead, "running");
    const auto two = linode("two", "us-east", dead, "offline");
    const auto event = jobs::record_event(tx(), {"linode_reboot", jobs::linode_entity(one, "one"),
                                                 std::nullopt, "scheduled", 1, "u", ""});
    jobs::enqueue(tx(), "linode_reboot", one, event, {{"fallback_status", "running"}});

    const auto reaped = reap_lost_hosts(tx(), kNow + 2'000);
    EXPECT_EQ(reaped.moved, 0);
    EXPECT_EQ(reaped.stranded, 2);
    EXPECT_EQ(HostRepository(tx()).host_of(one), dead);
    EXPECT_EQ(linodes::find(tx(), one)->status, "offline");
    EXPECT_EQ(linodes::find(tx(), two)->status, "offline");
    EXPECT_FALSE(jobs::JobRepository(tx()).has_active(one));
    const auto failed = jobs::EventRepository(tx()).find(event).value();
    EXPECT_EQ(failed.status, "failed");
    EXPECT_EQ(failed.message, "The Linode's host dead stopped answering.");
    // What each was doing is kept for the host's return, once.
    auto outages = HostRepository(tx()).end_outages("n1");
    ASSERT_EQ(outages.size(), 2u);
    EXPECT_EQ(outages[0].linode_id, one);
    EXPECT_EQ(outages[0].status, "running");
    EXPECT_EQ(outages[1].status, "offline");
    EXPECT_TRUE(HostRepository(tx()).end_outages("n1").empty());
}

TEST_F(ReaperTest, AHostRenewedAfterItWasSeenExpiredIsNotMarkedLost) {
    const auto host_id = host("late", "n1", "us-east", 100'000, "sim", 1'000);
    HostRepository hosts(tx());
    ASSERT_EQ(hosts.expired(kNow + 2'000).size(), 1u);
    // Its node renews it between the reaper's read and its mark.
    hosts.renew("n1", kNow + 60'000);
    EXPECT_FALSE(hosts.mark_lost(host_id, kNow + 2'000));
    EXPECT_EQ(hosts.find(host_id)->state, "active");
    EXPECT_EQ(reap_lost_hosts(tx(), kNow + 2'000).hosts, 0);
    // Once the renewal runs out too, it is lost, once.
    EXPECT_TRUE(hosts.mark_lost(host_id, kNow + 61'000));
    EXPECT_FALSE(hosts.mark_lost(host_id, kNow + 61'000));
    EXPECT_EQ(hosts.find(host_id)->state, "lost");
}

}  // namespace
}  // namespace linnet::hosts
