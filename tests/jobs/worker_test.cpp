// The job loop: a step whose result could not be recorded is let go of, so its lease runs out and
// the job is taken up again, rather than held (and renewed) by a worker that no longer works on it.
#include "jobs/worker.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "core/clock.hpp"
#include "hosts/host_repository.hpp"
#include "jobs/add_job.hpp"
#include "jobs/job_repository.hpp"
#include "jobs/jobs.hpp"
#include "store/temp_store.hpp"

namespace linnet::jobs {
namespace {

constexpr std::int64_t kStart = 1'800'000'000'000;
constexpr std::int64_t kLeaseMs = 1'000;

// A driver whose steps take no time and run `during` while they are performed.
class StepDriver : public compute::Driver {
  public:
    std::string name() const override { return "sim"; }
    std::chrono::milliseconds perform(compute::Operation, const compute::Machine&) override {
        ++performed;
        if (during) during();
        return std::chrono::milliseconds(0);
    }
    std::function<void()> during;
    int performed = 0;
};

class WorkerTest : public ::testing::Test {
  protected:
    WorkerTest() : store_("worker") {
        clock::freeze(clock::TimePoint(std::chrono::milliseconds(kStart)));
    }
    ~WorkerTest() override { clock::reset(); }

    // Linode 7 on host-a with a boot job queued; answers the job's id.
    std::int64_t boot_job_on_host_a() {
        auto& tx = store_.tx();
        tx.execute(
            "INSERT INTO users (id, account_id, username, email, profile, created) VALUES (1, ?, "
            "'u', 'u@example.com', '{}', 'x')",
            {store_.account_id()});
        tx.execute(
            "INSERT INTO linodes (id, account_id, user_id, label, region, type, status, created, "
            "updated) VALUES (7, ?, 1, 'box', 'us-east', 'g6-nanode-1', 'offline', 'x', 'x')",
            {store_.account_id()});
        hosts::Host h;
        h.name = h.node = h.uuid = "host-a";
        h.driver = "sim";
        h.vcpus = 1;
        h.memory = h.disk = 1024;
        h.lease_until = kStart + 60'000;
        hosts::HostRepository hosts(tx);
        hosts.place(7, hosts.enrol(h, "x"));
        const auto id = add_job(tx, "linode_boot", 7, 0, {});
        store_.finish();
        return id;
    }

    // Takes the jobs table away for a moment (as a store that fails a statement would).
    void jobs_table(const char* from, const char* to) {
        auto tx = store_.db().begin(store::Access::schema);
        tx->set_scope(store::Scope::system());
        tx->execute(std::string("ALTER TABLE ") + from + " RENAME TO " + to);
        tx->commit();
    }

    std::string state_of(std::int64_t job) {
        auto tx = store_.db().begin(store::Access::read);
        tx->set_scope(store::Scope::system());
        return tx->query("SELECT state FROM jobs WHERE id = ?", {job}).at(0).text("state");
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

}  // namespace
}  // namespace linnet::jobs
