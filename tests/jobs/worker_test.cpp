// The job loop: due jobs taken a few per transaction (passing over one whose Linode is held), a
// job's row and events as every way out of a transaction leaves them, the machine each driver
// is given, and a step whose result could not be recorded let go of, so its lease runs out and
// the job is taken up again rather than held (and renewed) by a worker that no longer works on
// it.
#include "jobs/worker.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "hosts/host_repository.hpp"
#include "jobs/add_job.hpp"
#include "jobs/events.hpp"
#include "jobs/job_repository.hpp"
#include "jobs/jobs.hpp"
#include "store/temp_store.hpp"

namespace linnet::jobs {
namespace {

constexpr std::int64_t kStart = 1'800'000'000'000;
constexpr std::int64_t kLeaseMs = 1'000;

// A driver whose steps take `lasts` (none unless set; only the `lasting` operation's, when that
// is set) and run `during` while they are performed; `not_ready`: that operation is asked again
// in 30 s; `in_place`: it performs them inside the claiming transaction, as the sim driver.
class StepDriver : public compute::Driver {
  public:
    std::string name() const override { return "sim"; }
    std::chrono::milliseconds perform(compute::Operation op,
                                      const compute::Machine& machine) override {
        ++performed;
        given.push_back({op, machine});
        if (during) during();
        if (not_ready == op) throw compute::NotReady("not yet", std::chrono::seconds(30));
        return !lasting || lasting == op ? lasts : std::chrono::milliseconds(0);
    }
    bool performs_in_place() const override { return in_place; }
    compute::MachineDetail machine_detail() const override { return detail; }
    compute::MachineDetail detail = compute::MachineDetail::whole;
    std::function<void()> during;
    std::chrono::milliseconds lasts{0};
    std::optional<compute::Operation> lasting;
    std::optional<compute::Operation> not_ready;
    bool in_place = false;
    int performed = 0;
    std::vector<std::pair<compute::Operation, compute::Machine>> given;
};

class WorkerTest : public ::testing::Test {
  protected:
    WorkerTest() : store_("worker") {
        clock::freeze(clock::TimePoint(std::chrono::milliseconds(kStart)));
    }
    ~WorkerTest() override { clock::reset(); }

    // Linode 7 on host-a with a boot job queued; answers the job's id.
    std::int64_t boot_job_on_host_a() { return boot_jobs_on_host_a({7}).at(0); }

    // Offline Linodes of these ids on host-a, each with a boot job queued; answers the jobs' ids.
    std::vector<std::int64_t> boot_jobs_on_host_a(const std::vector<std::int64_t>& linodes) {
        auto& tx = store_.tx();
        tx.execute(
            "INSERT INTO users (id, account_id, username, email, profile, created) VALUES (1, ?, "
            "'u', 'u@example.com', '{}', 'x')",
            {store_.account_id()});
        hosts::Host h;
        h.name = h.node = h.uuid = "host-a";
        h.driver = "sim";
        h.vcpus = 1;
        h.memory = h.disk = 1024;
        h.lease_until = kStart + 60'000;
        hosts::HostRepository hosts(tx);
        const auto host = hosts.enrol(h, "x");
        std::vector<std::int64_t> jobs;
        for (auto linode : linodes) {
            tx.execute(
                "INSERT INTO linodes (id, account_id, user_id, label, region, type, status, "
                "created, updated) VALUES (?, ?, 1, ?, 'us-east', 'g6-nanode-1', 'offline', 'x', "
                "'x')",
                {linode, store_.account_id(), "box" + std::to_string(linode)});
            hosts.place(linode, host);
            jobs.push_back(add_job(tx, "linode_boot", linode, 0, {}));
        }
        store_.finish();
        return jobs;
    }

    // Linode 7's job as a request makes it: the Linode's document with these specs, and the job's
    // action and payload.
    void as_a_request_makes_it(std::int64_t job, const std::string& action,
                               const std::string& specs, const std::string& payload) {
        auto tx = store_.db().begin(store::Access::write);
        tx->set_scope(store::Scope::system());
        tx->execute("INSERT INTO linode_docs (linode_id, settings, doc) VALUES (7, ?, '{}')",
                    {"{\"specs\":" + specs + "}"});
        tx->execute("UPDATE jobs SET action = ?, payload = ? WHERE id = ?", {action, payload, job});
        tx->commit();
    }

    // Linode 7's job as a request that creates and boots it makes it: the create's event and the
    // boot's, scheduled; answers the two events' ids.
    std::pair<std::int64_t, std::int64_t> as_a_create_that_boots(std::int64_t job) {
        auto tx = store_.db().begin(store::Access::write);
        tx->set_scope(store::Scope::system());
        const auto entity = linode_entity(7, "box7");
        const auto create =
            record_event(*tx, {"linode_create", entity, std::nullopt, "scheduled", 1, "u", ""});
        const auto boot =
            record_event(*tx, {"linode_boot", entity, std::nullopt, "scheduled", 1, "u", ""});
        tx->execute("UPDATE jobs SET event_id = ? WHERE id = ?", {create, job});
        tx->commit();
        as_a_request_makes_it(
            job, "linode_create", R"({"vcpus":1,"memory":1024,"disk":25600})",
            R"({"final_status":"running","boot_event_id":)" + std::to_string(boot) + "}");
        return {create, boot};
    }
    // A job's state, step and event, as "state step event".
    std::string progress_of_job(std::int64_t job) {
        const auto row = job_row(job);
        return row.text("state") + " " + std::to_string(row.integer("step")) + " " +
               std::to_string(row.integer("event_id"));
    }
    // The create's and the boot's events, as "status/percent status/percent".
    std::string progress_of(std::pair<std::int64_t, std::int64_t> events) {
        return event_progress(events.first) + " " + event_progress(events.second);
    }
    // An event's status and percent, as "status/percent".
    std::string event_progress(std::int64_t id) {
        auto tx = store_.db().begin(store::Access::read);
        tx->set_scope(store::Scope::system());
        const auto row =
            tx->query("SELECT status, percent_complete FROM events WHERE id = ?", {id}).at(0);
        return row.text("status") + "/" + std::to_string(row.integer("percent_complete"));
    }

    Worker worker_on_host_a() {
        hosts::NodeOptions node;
        node.node = "host-a";
        return Worker(store_.db(), driver_, node, std::chrono::milliseconds(kLeaseMs));
    }

    // Takes the jobs table away for a moment (as a store that fails a statement would).
    void jobs_table(const char* from, const char* to) {
        auto tx = store_.db().begin(store::Access::schema);
        tx->set_scope(store::Scope::system());
        tx->execute(std::string("ALTER TABLE ") + from + " RENAME TO " + to);
        tx->commit();
    }

    store::Row job_row(std::int64_t job) {
        auto tx = store_.db().begin(store::Access::read);
        tx->set_scope(store::Scope::system());
        return tx
            ->query(
                "SELECT state, claimed_by, run_after, step, event_id, lease_token FROM jobs WHERE "
                "id = ?",
                {job})
            .at(0);
    }
    std::string state_of(std::int64_t job) { return job_row(job).text("state"); }
    // The job waits, claimed by no one, until run_after_ms.
    void expect_waiting(std::int64_t job, std::int64_t run_after_ms) {
        const auto row = job_row(job);
        EXPECT_EQ(row.text("state"), "active");
        EXPECT_FALSE(row.optional_text("claimed_by").has_value());
        EXPECT_EQ(row.integer("run_after"), run_after_ms);
    }
    std::string status_of_linode(std::int64_t id) {
        auto tx = store_.db().begin(store::Access::read);
        tx->set_scope(store::Scope::system());
        return tx->query("SELECT status FROM linodes WHERE id = ?", {id}).at(0).text("status");
    }

    store::TempStore store_;
    StepDriver driver_;
};

TEST_F(WorkerTest, AStepThatCouldNotBeRecordedIsTakenUpAgainOnceItsLeaseRunsOut) {
    const auto job = boot_job_on_host_a();
    hosts::NodeOptions node;
    node.node = "host-a";
    Worker worker(store_.db(), driver_, node, std::chrono::milliseconds(kLeaseMs));
    driver_.during = [&] { jobs_table("jobs", "jobs_away"); };
    EXPECT_TRUE(worker.run_once());
    EXPECT_EQ(driver_.performed, 1);
    driver_.during = nullptr;
    jobs_table("jobs_away", "jobs");
    EXPECT_EQ(state_of(job), "active");

    // The worker's heartbeat does not keep a job it let go of.
    clock::freeze(clock::TimePoint(std::chrono::milliseconds(kStart + kLeaseMs / 2)));
    worker.renew_now();
    clock::freeze(clock::TimePoint(std::chrono::milliseconds(kStart + kLeaseMs + 1)));
    ASSERT_TRUE(worker.run_once());
    EXPECT_EQ(driver_.performed, 2);
    EXPECT_EQ(state_of(job), "done");
}

TEST_F(WorkerTest, ADriverThatPerformsInPlaceTakesTheJobsDueAFewPerTransaction) {
    std::vector<std::int64_t> ids;
    for (std::int64_t n = 1; n <= kJobsPerCommit + 2; ++n) ids.push_back(100 + n);
    const auto jobs = boot_jobs_on_host_a(ids);
    driver_.in_place = true;
    auto worker = worker_on_host_a();
    // The jobs share one transaction, up to kJobsPerCommit of them.
    ASSERT_TRUE(worker.run_once());
    EXPECT_EQ(driver_.performed, kJobsPerCommit);
    for (std::size_t i = 0; i < jobs.size(); ++i)
        EXPECT_EQ(state_of(jobs[i]), i < kJobsPerCommit ? "done" : "active") << "job " << i;
    std::int64_t next_due = -1;
    ASSERT_TRUE(worker.run_once(next_due));
    EXPECT_EQ(driver_.performed, kJobsPerCommit + 2);
    for (auto job : jobs) EXPECT_EQ(state_of(job), "done");
    // It saw the queue empty in the same transaction: nothing is due any more.
    EXPECT_EQ(next_due, INT64_MAX);
    EXPECT_FALSE(worker.run_once());
}

TEST_F(WorkerTest, AJobWhoseLinodeAnotherTransactionHoldsIsPassedOverForTheNextDue) {
    // SQLite has one writer at a time: no other transaction holds a row while the worker runs.
    if (store_.db().dialect() != store::Dialect::postgresql) GTEST_SKIP() << "PostgreSQL only";
    const auto jobs = boot_jobs_on_host_a({101, 102, 103});
    driver_.in_place = true;
    auto worker = worker_on_host_a();
    auto request = store_.db().begin(store::Access::write);
    request->set_scope(store::Scope::system());
    request->query("SELECT id FROM linodes WHERE id = 102 FOR NO KEY UPDATE");
    std::int64_t next_due = -1;
    ASSERT_TRUE(worker.run_once(next_due));
    EXPECT_EQ(driver_.performed, 2);
    EXPECT_EQ(state_of(jobs[0]), "done");
    EXPECT_EQ(state_of(jobs[1]), "active");
    EXPECT_EQ(state_of(jobs[2]), "done");
    // The held Linode's job is looked at again soon.
    EXPECT_EQ(next_due, kStart + kBusyLinodeRetryMs);
    request.reset();
    ASSERT_TRUE(worker.run_once());
    EXPECT_EQ(state_of(jobs[1]), "done");
}

TEST_F(WorkerTest, AStepPerformedInPlaceThatLastsLeavesItsJobUnclaimedUntilItEnds) {
    const auto job = boot_job_on_host_a();
    // A Linode's boot as a request makes it: a document, and the status it ends with.
    as_a_request_makes_it(job, "linode_boot", R"({"vcpus":1,"memory":1024,"disk":25600})",
                          R"({"final_status":"running"})");
    driver_.in_place = true;
    driver_.lasts = std::chrono::milliseconds(4'000);
    auto worker = worker_on_host_a();
    ASSERT_TRUE(worker.run_once());
    EXPECT_EQ(driver_.performed, 1);
    expect_waiting(job, kStart + 4'000);
    // While it lasts, the Linode shows the step's status.
    EXPECT_EQ(status_of_linode(7), "booting");
    // Not before its time; then the job ends (its boot was its one step).
    EXPECT_FALSE(worker.run_once());
    clock::freeze(clock::TimePoint(std::chrono::milliseconds(kStart + 4'000)));
    ASSERT_TRUE(worker.run_once());
    EXPECT_EQ(driver_.performed, 1);
    EXPECT_EQ(state_of(job), "done");
    EXPECT_EQ(status_of_linode(7), "running");
}

TEST_F(WorkerTest, AJobThatGoesOnPastItsTransactionKeepsTheStepAndEventItReached) {
    const auto job = boot_job_on_host_a();
    const auto events = as_a_create_that_boots(job);
    driver_.in_place = true;
    driver_.lasting = compute::Operation::boot;
    driver_.lasts = std::chrono::milliseconds(4'000);
    auto worker = worker_on_host_a();
    ASSERT_TRUE(worker.run_once());
    // The disks were made at once; the boot lasts: the create's event is over, the boot's goes
    // on, and the job waits at its last step with the boot's event, claimed by no one.
    EXPECT_EQ(progress_of(events), "finished/100 started/90");
    EXPECT_EQ(progress_of_job(job), "active 2 " + std::to_string(events.second));
    expect_waiting(job, kStart + 4'000);
    EXPECT_EQ(job_row(job).integer("lease_token"), 1);
    clock::freeze(clock::TimePoint(std::chrono::milliseconds(kStart + 4'000)));
    ASSERT_TRUE(worker.run_once());
    EXPECT_EQ(state_of(job), "done");
    EXPECT_EQ(progress_of(events), "finished/100 finished/100");
}

TEST_F(WorkerTest, AnEventThatGoesOnPastTheTransactionThatStartsItIsSeenStarted) {
    const auto job = boot_job_on_host_a();
    const auto events = as_a_create_that_boots(job);
    driver_.in_place = true;
    driver_.not_ready = compute::Operation::create_disks;
    auto worker = worker_on_host_a();
    ASSERT_TRUE(worker.run_once());
    // The disks cannot be made yet: the create's event has started, the boot's waits.
    EXPECT_EQ(progress_of(events), "started/0 scheduled/0");
    EXPECT_EQ(progress_of_job(job), "active 0 " + std::to_string(events.first));
    expect_waiting(job, kStart + 30'000);
    // Once they can, the job ends in one transaction: both events are over.
    driver_.not_ready.reset();
    clock::freeze(clock::TimePoint(std::chrono::milliseconds(kStart + 30'000)));
    ASSERT_TRUE(worker.run_once());
    EXPECT_EQ(progress_of(events), "finished/100 finished/100");
    EXPECT_EQ(progress_of_job(job), "done 2 " + std::to_string(events.second));
}

TEST_F(WorkerTest, AStepRecordedOutsideItsTransactionKeepsTheStepAndEventItReached) {
    const auto job = boot_job_on_host_a();
    const auto events = as_a_create_that_boots(job);
    // A driver that runs guests: each step is recorded in a transaction of its own. The boot's
    // result cannot be recorded (the jobs table is away): what stands is what the disks' step
    // recorded.
    driver_.during = [&] {
        if (driver_.performed == 2) jobs_table("jobs", "jobs_away");
    };
    auto worker = worker_on_host_a();
    ASSERT_TRUE(worker.run_once());
    jobs_table("jobs_away", "jobs");
    EXPECT_EQ(driver_.performed, 2);
    EXPECT_EQ(progress_of_job(job), "active 1 " + std::to_string(events.second));
    EXPECT_EQ(progress_of(events), "finished/100 started/0");
}

TEST_F(WorkerTest, AJobWhoseStepFailsInPlaceIsHeldAtTheStepAndEventItReached) {
    const auto job = boot_job_on_host_a();
    const auto events = as_a_create_that_boots(job);
    driver_.in_place = true;
    // The boot fails in place, and again outside the transaction, where the failure cannot be
    // recorded (the jobs table is away): what stands is what the claiming transaction wrote.
    driver_.during = [&] {
        if (driver_.performed == 3) jobs_table("jobs", "jobs_away");
        if (driver_.performed >= 2) throw std::runtime_error("the machine would not start");
    };
    auto worker = worker_on_host_a();
    ASSERT_TRUE(worker.run_once());
    jobs_table("jobs_away", "jobs");
    EXPECT_EQ(driver_.performed, 3);
    EXPECT_EQ(progress_of_job(job), "active 1 " + std::to_string(events.second));
    const auto row = job_row(job);
    EXPECT_EQ(row.text("claimed_by"), "host-a");
    EXPECT_EQ(row.integer("lease_token"), 1);
    EXPECT_EQ(progress_of(events), "finished/100 started/0");
}

TEST_F(WorkerTest, EveryStepPerformedInPlaceIsGivenTheLinodesMachine) {
    const auto job = boot_job_on_host_a();
    // A rebuild of a running Linode: shut down, rebuild, boot, in one transaction (the machine is
    // read for the first step and holds for the others).
    as_a_request_makes_it(job, "linode_rebuild", R"({"vcpus":2,"memory":4096,"disk":81920})",
                          R"({"was_running":true,"final_status":"running"})");
    driver_.in_place = true;
    auto worker = worker_on_host_a();
    ASSERT_TRUE(worker.run_once());
    ASSERT_EQ(driver_.given.size(), 3u);
    EXPECT_EQ(driver_.given[0].first, compute::Operation::shutdown);
    EXPECT_EQ(driver_.given[1].first, compute::Operation::rebuild);
    EXPECT_EQ(driver_.given[2].first, compute::Operation::boot);
    for (const auto& [op, machine] : driver_.given) {
        EXPECT_EQ(machine.linode_id, 7);
        EXPECT_EQ(machine.label, "box7");
        EXPECT_EQ(machine.vcpus, 2);
        EXPECT_EQ(machine.memory_mb, 4096);
    }
    EXPECT_EQ(state_of(job), "done");
}

TEST_F(WorkerTest, ADriverThatReadsTheDisksAloneIsGivenThemWithWhatTheJobCarries) {
    const auto job = boot_job_on_host_a();
    as_a_request_makes_it(job, "disk_resize", R"({"vcpus":2,"memory":4096,"disk":81920})",
                          R"({"disk_id":5,"size":30000})");
    {
        auto tx = store_.db().begin(store::Access::write);
        tx->set_scope(store::Scope::system());
        tx->execute(
            "INSERT INTO disks (id, linode_id, label, status, size, filesystem, image, created, "
            "updated) VALUES (5, 7, 'root', 'resizing', 25000, 'ext4', 'linode/debian12', 'x', "
            "'x')");
        tx->commit();
    }
    driver_.in_place = true;
    driver_.detail = compute::MachineDetail::disks;
    auto worker = worker_on_host_a();
    ASSERT_TRUE(worker.run_once());
    ASSERT_EQ(driver_.given.size(), 1u);
    const auto& machine = driver_.given[0].second;
    EXPECT_EQ(machine.linode_id, 7);
    EXPECT_EQ(machine.disk_id, 5);
    EXPECT_EQ(machine.disk_size_mb, 30000);
    ASSERT_EQ(machine.disks.size(), 1u);
    EXPECT_EQ(machine.disks[0].id, 5);
    EXPECT_EQ(machine.disks[0].size_mb, 25000);
    EXPECT_EQ(machine.disks[0].image, "linode/debian12");
    // The rest of the machine is not read for it.
    EXPECT_EQ(machine.label, "");
    EXPECT_EQ(state_of(job), "done");
}

TEST_F(WorkerTest, AStepThatFailsInPlaceFailsItsJob) {
    const auto job = boot_job_on_host_a();
    driver_.in_place = true;
    driver_.during = [] { throw std::runtime_error("the machine would not start"); };
    auto worker = worker_on_host_a();
    ASSERT_TRUE(worker.run_once());
    // Tried in the claiming transaction, then once more outside it, where the failure is kept.
    EXPECT_EQ(driver_.performed, 2);
    EXPECT_EQ(state_of(job), "failed");
}

}  // namespace
}  // namespace linnet::jobs
