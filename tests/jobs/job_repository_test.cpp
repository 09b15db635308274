// Jobs: added due now, taken in order of when they are due, moved step by step, cancelled with
// their Linode.
#include "jobs/job_repository.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "jobs/event_repository.hpp"
#include "jobs/events.hpp"
#include "jobs/jobs.hpp"
#include "store/temp_store.hpp"

namespace linnet::jobs {
namespace {

namespace json = boost::json;

constexpr std::int64_t kStart = 1'800'000'000'000;

class JobRepositoryTest : public ::testing::Test {
  protected:
    JobRepositoryTest() : store_("job-repository") {
        clock::freeze(clock::TimePoint(std::chrono::milliseconds(kStart)));
    }
    ~JobRepositoryTest() override { clock::reset(); }
    store::Transaction& tx() { return store_.tx(); }
    store::TempStore store_;
};

TEST_F(JobRepositoryTest, EnqueuedJobsAreDueNowInOrder) {
    const auto first = enqueue(tx(), "linode_boot", 7, 0, {{"booted", true}});
    const auto second = enqueue(tx(), "linode_shutdown", 8, 0, {});
    JobRepository repo(tx());
    EXPECT_EQ(repo.next_due(), kStart);
    EXPECT_FALSE(repo.first_due(kStart - 1));
    auto due = repo.first_due(kStart);
    ASSERT_TRUE(due);
    EXPECT_EQ(due->id, first);
    EXPECT_EQ(due->action, "linode_boot");
    EXPECT_EQ(due->linode_id, 7);
    EXPECT_EQ(due->step, 0);
    EXPECT_EQ(due->event_id, 0);
    EXPECT_TRUE(due->payload.at("booted").as_bool());

    // A claimed job is leased: the other one comes first until the lease runs out.
    auto claimed = repo.claim_due("host-a", kStart, 60'000);
    ASSERT_TRUE(claimed);
    EXPECT_EQ(claimed->id, first);
    EXPECT_EQ(repo.first_due(kStart)->id, second);
    repo.set_step(second, 1, kStart + 30'000);
    EXPECT_FALSE(repo.first_due(kStart));
    EXPECT_EQ(repo.next_due(), kStart + 30'000);
    EXPECT_EQ(repo.first_due(kStart + 30'000)->id, second);
    EXPECT_EQ(repo.first_due(kStart + 30'000)->step, 1);
    // Once the lease has run out, the first job is due again.
    EXPECT_EQ(repo.first_due(kStart + 60'001)->id, first);
}

TEST_F(JobRepositoryTest, ClaimsAreExclusiveAndFenced) {
    const auto id = enqueue(tx(), "linode_boot", 7, 0, {});
    JobRepository repo(tx());
    auto a = repo.claim_due("host-a", kStart, 1'000);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, id);
    EXPECT_TRUE(repo.holds(*a));
    // While host-a's lease lasts nobody else claims the job.
    EXPECT_FALSE(repo.claim_due("host-b", kStart + 500, 1'000));
    // host-a renews; then stalls past its lease, and host-b takes the job over.
    EXPECT_EQ(repo.renew("host-a", kStart + 1'500), 1);
    EXPECT_FALSE(repo.claim_due("host-b", kStart + 1'400, 1'000));
    auto b = repo.claim_due("host-b", kStart + 1'600, 1'000);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->id, id);
    EXPECT_GT(b->lease_token, a->lease_token);
    // host-a's copy no longer holds the job: what it performed is not recorded.
    EXPECT_FALSE(repo.holds(*a));
    EXPECT_TRUE(repo.holds(*b));
    // host-a's renewals no longer reach it either.
    EXPECT_EQ(repo.renew("host-a", kStart + 9'000), 0);
    // Released, the job waits for its run_after again, claimable by anyone.
    repo.release(id);
    EXPECT_TRUE(repo.claim_due("host-c", kStart + 1'700, 1'000));
    EXPECT_EQ(repo.release_all_of("host-c"), 1);
    EXPECT_TRUE(repo.first_due(kStart + 1'700));
}

TEST_F(JobRepositoryTest, ClosedJobsAreNoLongerActive) {
    const auto id = enqueue(tx(), "linode_create", 7, 0, {{"root_hash", "x"}});
    JobRepository repo(tx());
    EXPECT_TRUE(repo.find_active(id));
    EXPECT_TRUE(repo.has_active(7));
    EXPECT_EQ(repo.linodes_with_active_jobs(), std::vector<std::int64_t>{7});
    repo.close(id, "done", {});
    EXPECT_FALSE(repo.find_active(id));
    EXPECT_FALSE(repo.has_active(7));
    EXPECT_FALSE(repo.first_due(kStart));
    EXPECT_FALSE(repo.next_due());
    EXPECT_TRUE(repo.linodes_with_active_jobs().empty());
}

TEST_F(JobRepositoryTest, JobsWithoutALinodeHoldNone) {
    enqueue(tx(), "image_build", std::nullopt, 0, {});
    enqueue(tx(), "linode_boot", 9, 0, {});
    enqueue(tx(), "disk_create", 3, 0, {});
    enqueue(tx(), "disk_resize", 3, 0, {});
    JobRepository repo(tx());
    EXPECT_EQ(repo.linodes_with_active_jobs(), (std::vector<std::int64_t>{3, 9}));
    EXPECT_FALSE(repo.first_due(kStart)->linode_id);
}

TEST_F(JobRepositoryTest, ActiveJobsOfOneActionAndTheirPayload) {
    const auto create = enqueue(tx(), "linode_create", 7, 0, {{"booted", false}});
    enqueue(tx(), "linode_clone", 8, 0, {});
    JobRepository repo(tx());
    EXPECT_TRUE(repo.has_active(7, "linode_create"));
    EXPECT_FALSE(repo.has_active(7, "linode_clone"));
    EXPECT_TRUE(repo.has_active(8, "linode_clone"));
    auto found = repo.find_active_on(7, "linode_create");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, create);
    repo.set_payload(create, {{"booted", true}});
    EXPECT_TRUE(repo.find_active(create)->payload.at("booted").as_bool());
    repo.set_state_on(7, "linode_create", "done");
    EXPECT_FALSE(repo.find_active_on(7, "linode_create"));
    EXPECT_TRUE(repo.has_active(8));
}

TEST_F(JobRepositoryTest, CancellingFailsTheEventsOfTheLinodesActiveJobs) {
    const auto event = record_event(
        tx(), {"linode_boot", linode_entity(7, "web"), std::nullopt, "scheduled", 1, "alice", ""});
    enqueue(tx(), "linode_boot", 7, event, {});
    enqueue(tx(), "disk_create", 7, 0, {});
    const auto other = enqueue(tx(), "linode_boot", 8, 0, {});
    cancel_jobs(tx(), 7, "The Linode was deleted.");
    JobRepository repo(tx());
    EXPECT_TRUE(repo.active_on(7).empty());
    EXPECT_EQ(repo.active_on(8).size(), 1u);
    EXPECT_EQ(repo.first_due(kStart)->id, other);
    auto failed = EventRepository(tx()).find(event).value();
    EXPECT_EQ(failed.status, "failed");
    EXPECT_EQ(failed.message, "The Linode was deleted.");
}

}  // namespace
}  // namespace linnet::jobs
