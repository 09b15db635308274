// Jobs: added due now, taken in order of when they are due, moved step by step, cancelled with
// their Linode.
#include "jobs/job_repository.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "hosts/host_repository.hpp"
#include "jobs/add_job.hpp"
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
    static hosts::Host test_host(const std::string& node) {
        hosts::Host h;
        h.name = h.node = h.uuid = node;
        h.driver = "sim";
        h.vcpus = 1;
        h.memory = h.disk = 1024;
        h.lease_until = kStart;
        return h;
    }
    // Linode `id` (made if need be) placed on the host of `node` (enrolled if need be).
    void on_node(std::int64_t id, const std::string& node) {
        if (!user_) {
            tx().execute(
                "INSERT INTO users (id, account_id, username, email, profile, created) VALUES (1, "
                "?, 'u', 'u@example.com', '{}', 'x')",
                {store_.account_id()});
            user_ = true;
        }
        hosts::HostRepository hosts(tx());
        auto host = hosts.find(node);
        const std::int64_t host_id = host ? host->id : hosts.enrol(test_host(node), "x");
        if (tx().query("SELECT 1 AS found FROM linodes WHERE id = ?", {id}).empty())
            tx().execute(
                "INSERT INTO linodes (id, account_id, user_id, label, region, type, status, "
                "created, updated) VALUES (?, ?, 1, ?, 'us-east', 'g6-nanode-1', 'offline', 'x', "
                "'x')",
                {id, store_.account_id(), "box-" + std::to_string(id)});
        hosts.place(id, host_id);
    }
    std::optional<Job> first_due(std::int64_t now, const std::string& node) {
        return jobs::first_due(tx(), now, node);
    }
    std::optional<Job> claim_due(const std::string& node, std::int64_t now, std::int64_t lease_ms) {
        return jobs::claim_due(tx(), node, now, lease_ms);
    }
    // The job waits at `step` until run_after_ms, as a step that lasts leaves it.
    void due_at(std::int64_t id, int step, std::int64_t run_after_ms) {
        tx().execute("UPDATE jobs SET step = ?, run_after = ? WHERE id = ?",
                     {std::int64_t{step}, run_after_ms, id});
    }
    store::Row row_of(std::int64_t id) {
        return tx()
            .query(
                "SELECT state, step, event_id, payload, claimed_by, lease_until, lease_token, "
                "run_after FROM jobs WHERE id = ?",
                {id})
            .at(0);
    }
    store::TempStore store_;
    bool user_ = false;
};

TEST_F(JobRepositoryTest, EnqueuedJobsAreDueNowInOrder) {
    on_node(7, "host-a");
    on_node(8, "host-a");
    const auto first = add_job(tx(), "linode_boot", 7, 0, {{"booted", true}});
    const auto second = add_job(tx(), "linode_shutdown", 8, 0, {});
    JobRepository repo(tx());
    EXPECT_EQ(repo.next_due("host-a"), kStart);
    EXPECT_FALSE(first_due(kStart - 1, "host-a"));
    auto due = first_due(kStart, "host-a");
    ASSERT_TRUE(due);
    EXPECT_EQ(due->id, first);
    EXPECT_EQ(due->action, "linode_boot");
    EXPECT_EQ(due->linode_id, 7);
    EXPECT_EQ(due->step, 0);
    EXPECT_EQ(due->event_id, 0);
    EXPECT_TRUE(due->payload.at("booted").as_bool());

    // A claimed job is leased: the other one comes first until the lease runs out.
    auto claimed = claim_due("host-a", kStart, 60'000);
    ASSERT_TRUE(claimed);
    EXPECT_EQ(claimed->id, first);
    EXPECT_EQ(first_due(kStart, "host-a")->id, second);
    due_at(second, 1, kStart + 30'000);
    EXPECT_FALSE(first_due(kStart, "host-a"));
    EXPECT_EQ(repo.next_due("host-a"), kStart + 30'000);
    EXPECT_EQ(first_due(kStart + 30'000, "host-a")->id, second);
    EXPECT_EQ(first_due(kStart + 30'000, "host-a")->step, 1);
    // Once the lease has run out, the first job is due again.
    EXPECT_EQ(first_due(kStart + 60'001, "host-a")->id, first);
}

TEST_F(JobRepositoryTest, DueJobsAreReadTogetherInTheOrderTheyAreDue) {
    on_node(7, "host-a");
    on_node(8, "host-a");
    on_node(9, "host-b");
    const auto first = add_job(tx(), "linode_boot", 7, 0, {});
    const auto elsewhere = add_job(tx(), "linode_boot", 9, 0, {});
    const auto second = add_job(tx(), "linode_shutdown", 8, 0, {});
    const auto third = add_job(tx(), "linode_reboot", 7, 0, {});
    JobRepository repo(tx());
    // Due later than the others: it comes last.
    due_at(first, 0, kStart + 10);
    auto ids = [](const std::vector<Job>& jobs) {
        std::vector<std::int64_t> out;
        for (const auto& j : jobs) out.push_back(j.id);
        return out;
    };
    EXPECT_EQ(ids(repo.due(kStart + 10, "host-a", {}, 8)),
              (std::vector<std::int64_t>{second, third, first}));
    EXPECT_EQ(ids(repo.due(kStart + 10, "host-a", {}, 2)),
              (std::vector<std::int64_t>{second, third}));
    EXPECT_EQ(ids(repo.due(kStart + 10, "host-a", {second}, 2)),
              (std::vector<std::int64_t>{third, first}));
    EXPECT_EQ(ids(repo.due(kStart, "host-a", {}, 8)), (std::vector<std::int64_t>{second, third}));
    EXPECT_EQ(ids(repo.due(kStart, "host-b", {}, 8)), (std::vector<std::int64_t>{elsewhere}));
    // Each comes with what a claim needs.
    auto read = repo.due(kStart, "host-a", {}, 1);
    ASSERT_EQ(read.size(), 1u);
    EXPECT_EQ(read.front().action, "linode_shutdown");
    EXPECT_EQ(read.front().linode_id, 8);
    repo.take(read.front());
    repo.hold(read.front(), "host-a", kStart + 60'000);
    EXPECT_EQ(ids(repo.due(kStart, "host-a", {}, 8)), (std::vector<std::int64_t>{third}));
}

TEST_F(JobRepositoryTest, ANodeRunsOnlyTheJobsOfItsHostsLinodes) {
    on_node(7, "host-a");
    on_node(8, "host-b");
    const auto on_a = add_job(tx(), "linode_boot", 7, 0, {});
    const auto on_b = add_job(tx(), "linode_boot", 8, 0, {});
    JobRepository repo(tx());
    EXPECT_EQ(first_due(kStart, "host-a")->id, on_a);
    EXPECT_EQ(first_due(kStart, "host-b")->id, on_b);
    EXPECT_FALSE(first_due(kStart, "host-c"));
    due_at(on_a, 1, kStart + 5'000);
    due_at(on_b, 1, kStart + 5'000);
    // A job of no Linode is anyone's.
    const auto none = add_job(tx(), "image_build", std::nullopt, 0, {});
    EXPECT_EQ(first_due(kStart, "host-c")->id, none);
    repo.close(*repo.find_active(none), "done", {});
    EXPECT_EQ(repo.next_due("host-a"), kStart + 5'000);
    EXPECT_FALSE(repo.next_due("host-c"));
    // Linode 7 moves to host-b's host: its job goes with it.
    on_node(7, "host-b");
    EXPECT_FALSE(claim_due("host-a", kStart + 5'000, 1'000));
    EXPECT_EQ(claim_due("host-b", kStart + 5'000, 1'000)->id, on_a);
}

TEST_F(JobRepositoryTest, AVolumesJobRunsWhereItsLinodeRuns) {
    on_node(7, "host-a");
    on_node(8, "host-b");
    const auto volume = [&](std::optional<std::int64_t> linode) {
        return tx()
            .query(
                "INSERT INTO volumes (account_id, label, region, size, status, linode_id, "
                "encryption, hardware_type, created, updated) VALUES (?, ?, 'us-east', 20, "
                "'active', ?, 'disabled', 'nvme', 'x', 'x') RETURNING id",
                {store_.account_id(), "vol-" + std::to_string(linode.value_or(0)),
                 store::or_null(linode)})
            .at(0)
            .integer("id");
    };
    const auto on_b = add_job(tx(), "volume_attach", std::nullopt, 0, {}, volume(8));
    JobRepository repo(tx());
    EXPECT_FALSE(first_due(kStart, "host-a"));
    EXPECT_EQ(repo.next_due("host-a"), std::nullopt);
    EXPECT_EQ(first_due(kStart, "host-b")->id, on_b);
    EXPECT_EQ(repo.next_due("host-b"), kStart);
    repo.close(*repo.find_active(on_b), "done", {});
    // A volume on no Linode (or one gone) is anyone's.
    const auto loose = add_job(tx(), "volume_create", std::nullopt, 0, {}, volume(std::nullopt));
    EXPECT_EQ(first_due(kStart, "host-c")->id, loose);
    repo.close(*repo.find_active(loose), "done", {});
    const auto gone = add_job(tx(), "volume_delete", std::nullopt, 0, {}, 999);
    EXPECT_EQ(first_due(kStart, "host-a")->id, gone);
}

TEST_F(JobRepositoryTest, ClaimsAreExclusiveAndFenced) {
    on_node(7, "host-a");
    const auto id = add_job(tx(), "linode_boot", 7, 0, {});
    JobRepository repo(tx());
    auto a = claim_due("host-a", kStart, 1'000);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, id);
    EXPECT_TRUE(repo.holds(*a));
    // While host-a's lease lasts nobody else claims the job, even where the Linode moved.
    on_node(7, "host-b");
    EXPECT_FALSE(claim_due("host-b", kStart + 500, 1'000));
    // host-a renews; then stalls past its lease, and host-b takes the job over.
    EXPECT_EQ(repo.renew("host-a", {id + 1}, kStart + 1'500), 0);  // not a job it works on
    EXPECT_EQ(repo.renew("host-a", {id}, kStart + 1'500), 1);
    EXPECT_FALSE(claim_due("host-b", kStart + 1'400, 1'000));
    auto b = claim_due("host-b", kStart + 1'600, 1'000);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->id, id);
    EXPECT_GT(b->lease_token, a->lease_token);
    // host-a's copy no longer holds the job: what it performed is not recorded.
    EXPECT_FALSE(repo.holds(*a));
    EXPECT_TRUE(repo.holds(*b));
    // host-a's renewals no longer reach it either.
    EXPECT_EQ(repo.renew("host-a", {id}, kStart + 9'000), 0);
    // Put back, the job waits for its run_after again, claimable by the Linode's node; taken
    // again, the copy put back no longer holds it.
    repo.put_back(*b, kStart + 1'700);
    EXPECT_FALSE(claim_due("host-b", kStart + 1'699, 1'000));
    EXPECT_FALSE(claim_due("host-a", kStart + 1'700, 1'000));
    auto c = claim_due("host-b", kStart + 1'700, 1'000);
    ASSERT_TRUE(c);
    EXPECT_GT(c->lease_token, b->lease_token);
    EXPECT_FALSE(repo.holds(*b));
    EXPECT_TRUE(repo.holds(*c));
    EXPECT_EQ(repo.release_all_of("host-b"), 1);
    EXPECT_TRUE(first_due(kStart + 1'700, "host-b"));
}

TEST_F(JobRepositoryTest, WhatATransactionDidWithATakenJobIsWrittenInOneGo) {
    on_node(7, "host-a");
    const auto id = add_job(tx(), "linode_create", 7, 5, {{"root_hash", "x"}});
    JobRepository repo(tx());
    auto job = first_due(kStart, "host-a");
    ASSERT_TRUE(job);
    repo.take(*job);
    EXPECT_EQ(job->lease_token, 1);
    // Taken, nothing is written yet.
    auto row = row_of(id);
    EXPECT_TRUE(row.is_null("claimed_by"));
    EXPECT_EQ(row.integer("lease_token"), 0);
    // Held: the claim goes with the step and event the job reached.
    job->step = 1;
    job->event_id = 6;
    repo.hold(*job, "host-a", kStart + 1'000);
    row = row_of(id);
    EXPECT_EQ(row.text("claimed_by"), "host-a");
    EXPECT_EQ(row.integer("lease_until"), kStart + 1'000);
    EXPECT_EQ(row.integer("lease_token"), 1);
    EXPECT_EQ(row.integer("step"), 1);
    EXPECT_EQ(row.integer("event_id"), 6);
    EXPECT_TRUE(repo.holds(*job));
    // Put back: unclaimed, at its step, due later.
    job->step = 2;
    repo.put_back(*job, kStart + 5'000);
    row = row_of(id);
    EXPECT_TRUE(row.is_null("claimed_by"));
    EXPECT_TRUE(row.is_null("lease_until"));
    EXPECT_EQ(row.integer("step"), 2);
    EXPECT_EQ(row.integer("run_after"), kStart + 5'000);
    EXPECT_FALSE(first_due(kStart + 4'999, "host-a"));
    // Taken again and closed, with the step and event it ended at and the payload it keeps.
    auto again = first_due(kStart + 5'000, "host-a");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->step, 2);
    EXPECT_EQ(again->event_id, 6);
    repo.take(*again);
    again->step = 3;
    again->event_id = 7;
    repo.close(*again, "done", {{"kept", true}});
    row = row_of(id);
    EXPECT_EQ(row.text("state"), "done");
    EXPECT_EQ(row.integer("step"), 3);
    EXPECT_EQ(row.integer("event_id"), 7);
    EXPECT_EQ(row.text("payload"), R"({"kept":true})");
    // Closed, no copy of it holds it any more.
    EXPECT_FALSE(repo.holds(*again));
    EXPECT_FALSE(repo.holds(*job));
}

TEST_F(JobRepositoryTest, ClosedJobsAreNoLongerActive) {
    on_node(7, "host-a");
    const auto id = add_job(tx(), "linode_create", 7, 0, {{"root_hash", "x"}});
    JobRepository repo(tx());
    EXPECT_TRUE(repo.find_active(id));
    EXPECT_TRUE(repo.has_active(7));
    EXPECT_EQ(repo.linodes_with_active_jobs(), std::vector<std::int64_t>{7});
    repo.close(*repo.find_active(id), "done", {});
    EXPECT_FALSE(repo.find_active(id));
    EXPECT_FALSE(repo.has_active(7));
    EXPECT_FALSE(first_due(kStart, "host-a"));
    EXPECT_FALSE(repo.next_due("host-a"));
    EXPECT_TRUE(repo.linodes_with_active_jobs().empty());
}

TEST_F(JobRepositoryTest, JobsWithoutALinodeHoldNone) {
    add_job(tx(), "image_build", std::nullopt, 0, {});
    add_job(tx(), "linode_boot", 9, 0, {});
    add_job(tx(), "disk_create", 3, 0, {});
    add_job(tx(), "disk_resize", 3, 0, {});
    JobRepository repo(tx());
    EXPECT_EQ(repo.linodes_with_active_jobs(), (std::vector<std::int64_t>{3, 9}));
    EXPECT_FALSE(first_due(kStart, "host-a")->linode_id);
}

TEST_F(JobRepositoryTest, ActiveJobsOfOneActionAndTheirPayload) {
    const auto create = add_job(tx(), "linode_create", 7, 0, {{"booted", false}});
    add_job(tx(), "linode_clone", 8, 0, {});
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
    on_node(7, "host-a");
    on_node(8, "host-a");
    const auto event = record_event(
        tx(), {"linode_boot", linode_entity(7, "web"), std::nullopt, "scheduled", 1, "alice", ""});
    add_job(tx(), "linode_boot", 7, event, {});
    add_job(tx(), "disk_create", 7, 0, {});
    const auto other = add_job(tx(), "linode_boot", 8, 0, {});
    cancel_jobs(tx(), 7, "The Linode was deleted.");
    JobRepository repo(tx());
    EXPECT_TRUE(repo.active_on(7).empty());
    EXPECT_EQ(repo.active_on(8).size(), 1u);
    EXPECT_EQ(first_due(kStart, "host-a")->id, other);
    auto failed = EventRepository(tx()).find(event).value();
    EXPECT_EQ(failed.status, "failed");
    EXPECT_EQ(failed.message, "The Linode was deleted.");
}

}  // namespace
}  // namespace linnet::jobs
