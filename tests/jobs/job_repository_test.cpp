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
    repo.set_run_after(first, kStart + 60'000);
    EXPECT_EQ(repo.first_due(kStart)->id, second);
    repo.set_step(second, 1, kStart + 30'000);
    EXPECT_FALSE(repo.first_due(kStart));
    EXPECT_EQ(repo.next_due(), kStart + 30'000);
    EXPECT_EQ(repo.first_due(kStart + 60'000)->id, second);
    EXPECT_EQ(repo.first_due(kStart + 60'000)->step, 1);

    // A restart makes every active job due at once.
    repo.make_active_due(kStart + 5);
    EXPECT_EQ(repo.first_due(kStart + 5)->id, first);
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
