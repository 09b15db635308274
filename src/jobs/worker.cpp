// The job loop: claim a due job, set the status of its step, let the driver perform it outside
// any transaction, then record the step and when the next one is due.
#include "jobs/worker.hpp"

#include <spdlog/spdlog.h>

#include "core/json.hpp"
#include "jobs/events.hpp"
#include "linodes/completion.hpp"
#include "linodes/instances.hpp"
#include "linodes/lifecycle.hpp"
#include "linodes/machine.hpp"

namespace linnet::jobs {

namespace {

// How long a claimed step may run before another worker may take it over.
constexpr std::int64_t kLeaseMs = 10 * 60 * 1000;

Job job_from(const store::Row& r) {
    Job j;
    j.id = r.integer(0);
    if (!r.is_null(1)) j.linode_id = r.integer(1);
    j.action = r.text(2);
    j.step = static_cast<int>(r.integer(3));
    j.event_id = r.is_null(4) ? 0 : r.integer(4);
    j.payload = boost::json::parse(r.text(5)).as_object();
    return j;
}

// A finished job keeps no secret: the root password's hash is dropped from its payload.
void forget_secrets(store::Transaction& tx, const Job& job, const char* state) {
    auto payload = job.payload;
    payload.erase("root_hash");
    tx.execute("UPDATE jobs SET state = ?, payload = ? WHERE id = ?",
               {std::string(state), to_json(payload), job.id});
}

}  // namespace

void Worker::start(unsigned threads) {
    std::vector<std::int64_t> running;
    {
        auto tx = db_.begin(store::Access::write);
        tx->execute("UPDATE jobs SET run_after = ? WHERE state = 'active'", {now_ms()});
        // Linodes no job holds that the store says run: their machines should still be there.
        for (const auto& row : tx->query(
                 "SELECT id FROM linodes WHERE status = 'running' AND id NOT IN (SELECT linode_id "
                 "FROM jobs WHERE state = 'active' AND linode_id IS NOT NULL)"))
            running.push_back(row.integer(0));
        tx->commit();
    }
    mark_stopped(driver_.adopt(running), "The Linode's machine was gone when Linnet restarted.");
    stopping_ = false;
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
}

void Worker::stop() {
    stopping_ = true;
    cv_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
}

void Worker::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    cv_.notify_one();
}

std::int64_t Worker::next_due() {
    auto tx = db_.begin(store::Access::read);
    auto rows = tx->query("SELECT MIN(run_after) FROM jobs WHERE state = 'active'");
    return rows.empty() || rows[0].is_null(0) ? INT64_MAX : rows[0].integer(0);
}

void Worker::mark_stopped(const std::vector<std::int64_t>& linodes, const std::string& why) {
    if (linodes.empty()) return;
    auto tx = db_.begin(store::Access::write);
    for (auto id : linodes) {
        auto linode = linodes::find(*tx, id);
        if (!linode || linode->status != "running") continue;
        linodes::set_status(*tx, id, "offline");
        record_event(*tx, {"linode_shutdown", linode_entity(id, linode->label), std::nullopt,
                           "notification", linode->user_id, "", why});
    }
    tx->commit();
}

void Worker::loop() {
    while (!stopping_) {
        bool worked = false;
        try {
            mark_stopped(driver_.stopped_unexpectedly(),
                         "The Linode's machine stopped unexpectedly.");
            worked = run_once();
        } catch (const std::exception& e) {
            spdlog::error("job worker: {}", e.what());
        }
        if (worked) continue;
        std::int64_t wait_ms = 500;
        try {
            const std::int64_t due = next_due();
            if (due != INT64_MAX) wait_ms = std::clamp<std::int64_t>(due - now_ms(), 0, 500);
        } catch (const std::exception& e) {
            spdlog::error("job worker: {}", e.what());
        }
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                     [this] { return woken_ || stopping_.load(); });
        woken_ = false;
    }
}

bool Worker::run_once() {
    Job job;
    compute::Machine machine;
    {
        auto tx = db_.begin(store::Access::write);
        const std::int64_t now = now_ms();
        auto rows = tx->query(
            "SELECT id, linode_id, action, step, event_id, payload FROM jobs WHERE state = "
            "'active' AND run_after <= ? ORDER BY run_after, id LIMIT 1",
            {now});
        if (rows.empty()) return false;
        job = job_from(rows.front());
        tx->execute("UPDATE jobs SET run_after = ? WHERE id = ?", {now + kLeaseMs, job.id});
        if (job.step == 0 && job.event_id) update_event(*tx, job.event_id, "started", 0);
        if (!begin_step(*tx, job, machine)) {
            finish(*tx, job);
            tx->commit();
            return true;
        }
        tx->commit();
    }
    // Steps that take no time follow one another without going back to the queue.
    while (advance(job, machine)) {
    }
    return true;
}

bool Worker::begin_step(store::Transaction& tx, const Job& job, compute::Machine& machine) {
    const auto steps = linodes::plan(job.action, job.payload);
    if (job.step >= static_cast<int>(steps.size())) return false;
    const auto& step = steps[static_cast<std::size_t>(job.step)];
    if (!step.status.empty() && job.linode_id) linodes::set_status(tx, *job.linode_id, step.status);
    machine = linodes::machine_of(tx, job);
    return true;
}

void Worker::finish(store::Transaction& tx, const Job& job) {
    linodes::complete(tx, job);
    if (job.event_id) update_event(tx, job.event_id, "finished", 100);
    forget_secrets(tx, job, "done");
}

bool Worker::advance(Job& job, compute::Machine& machine) {
    const auto steps = linodes::plan(job.action, job.payload);
    const auto& step = steps[static_cast<std::size_t>(job.step)];
    std::chrono::milliseconds duration{0};
    std::int64_t retry_ms = -1;
    try {
        duration = driver_.perform(step.op, machine);
    } catch (const compute::NotReady& e) {
        retry_ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.retry_after).count();
    } catch (const std::exception& e) {
        fail(job, e.what());
        return false;
    }
    const std::string note = job.linode_id ? driver_.take_note(*job.linode_id) : "";
    auto tx = db_.begin(store::Access::write);
    // The job may have been cancelled (the Linode deleted) or told to boot when done (an alpha
    // boot during provisioning) while the driver worked.
    auto current =
        tx->query("SELECT payload FROM jobs WHERE id = ? AND state = 'active'", {job.id});
    if (current.empty()) return false;
    job.payload = boost::json::parse(current.front().text(0)).as_object();
    if (retry_ms >= 0) {
        // Not yet (an image still building): the same step again later.
        tx->execute("UPDATE jobs SET run_after = ? WHERE id = ?", {now_ms() + retry_ms, job.id});
        tx->commit();
        return false;
    }
    ++job.step;
    if (job.event_id)
        update_event(*tx, job.event_id, "started", step.percent,
                     note.empty() ? std::nullopt : std::optional<std::string>(note));
    if (duration.count() > 0) {
        tx->execute("UPDATE jobs SET step = ?, run_after = ? WHERE id = ?",
                    {std::int64_t{job.step}, now_ms() + duration.count(), job.id});
        tx->commit();
        return false;
    }
    // The step took no time: the next one starts in this same transaction.
    tx->execute("UPDATE jobs SET step = ? WHERE id = ?", {std::int64_t{job.step}, job.id});
    const bool more = begin_step(*tx, job, machine);
    if (!more) finish(*tx, job);
    tx->commit();
    return more;
}

void Worker::fail(const Job& job, const std::string& message) {
    spdlog::warn("job {} ({}) failed: {}", job.id, job.action, message);
    auto tx = db_.begin(store::Access::write);
    linodes::abandon(*tx, job);
    if (job.event_id) update_event(*tx, job.event_id, "failed", std::nullopt, message);
    forget_secrets(*tx, job, "failed");
    tx->commit();
}

}  // namespace linnet::jobs
