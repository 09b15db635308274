// The job loop: take the due jobs, set the status of their steps, let the driver perform each
// step (inside the transaction that took the job where the driver only keeps books, outside any
// transaction otherwise), then record the step and when the next one is due.
#include "jobs/worker.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>

#include <algorithm>
#include <deque>
#include <utility>

#include "account/cancellation.hpp"
#include "backups/backups.hpp"
#include "billing/invoicing.hpp"
#include "core/clock.hpp"
#include "core/month.hpp"
#include "core/time.hpp"
#include "hosts/duty_repository.hpp"
#include "hosts/reaper.hpp"
#include "jobs/events.hpp"
#include "jobs/job_kind.hpp"
#include "jobs/job_repository.hpp"
#include "linodes/instances.hpp"
#include "linodes/linode_repository.hpp"
#include "store/retry.hpp"

namespace linnet::jobs {

namespace {

void forget_secrets(store::Transaction& tx, const Job& job, const char* state) {
    JobRepository(tx).close(job, state, without_secrets(job.payload));
}

// The job's part in this transaction ends with its event going on: the event's start, if it was
// held back, is written now.
void write_event_start(store::Transaction& tx, Job& job) {
    if (!std::exchange(job.event_start_unwritten, false) || job.event_id == 0) return;
    update_event(tx, job.event_id, "started", 0);
}

// True when the step that begins next, in the same transaction, ends the job's event: the job
// has no step left and finishes, or its next step boots with an event of its own, which takes
// over. The event's progress before it would not be seen by anyone.
bool next_ends_event(const Job& job) {
    const auto steps = kind_of(job.action).plan(job.action, job.payload);
    const auto next = static_cast<std::size_t>(job.step);
    return next >= steps.size() ||
           (steps[next].op == compute::Operation::boot && boots_with_own_event(job));
}

}  // namespace

std::string Worker::default_name() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "linnet";
    return host;
}

std::chrono::milliseconds Worker::default_lease() {
    if (const char* v = std::getenv("LINNET_JOB_LEASE_MS"); v != nullptr && std::atoll(v) > 0)
        return std::chrono::milliseconds(std::atoll(v));
    return std::chrono::seconds(30);
}

void Worker::start(unsigned threads) {
    std::vector<std::int64_t> running;
    std::vector<hosts::Outage> outages;
    {
        auto tx = db_.begin_in(store::Access::write, store::Scope::system());
        hosts::enrol(*tx, hosts::hosts_of_node(*tx, node_, now_ms() + lease_ms_));
        if (db_.dialect() == store::Dialect::sqlite)
            if (int moved = hosts::take_over_strays(*tx, name_, now_ms()))
                spdlog::info("took over {} Linode(s) of hosts no longer live", moved);
        JobRepository jobs(*tx);
        // What this worker held when it last stopped is its own to resume now; other workers'
        // claims stand until their leases run out.
        jobs.release_all_of(name_);
        // Linodes of this node that no job holds and the store says run: their machines should
        // still be there.
        const auto held = jobs.linodes_with_active_jobs();
        for (auto id : hosts::HostRepository(*tx).linodes_of_node(name_, "running"))
            if (!std::binary_search(held.begin(), held.end(), id)) running.push_back(id);
        outages = hosts::HostRepository(*tx).end_outages(name_);
        tx->commit();
    }
    mark_stopped(driver_.adopt(running), "The Linode's machine was gone when Linnet restarted.");
    resume(outages);
    stopping_ = false;
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
    threads_.emplace_back([this] { heartbeat(); });
    threads_.emplace_back([this] { monitor(); });
    threads_.emplace_back([this] { listen(); });
}

void Worker::listen() {
    std::unique_ptr<store::Listener> listener;
    try {
        listener = db_.listen(kJobsChannel);
    } catch (const std::exception& e) {
        spdlog::error("job signals: {}", e.what());
    }
    if (!listener) return;
    while (!stopping_) {
        try {
            if (listener->wait(std::chrono::milliseconds(200))) wake();
        } catch (const std::exception& e) {
            spdlog::error("job signals: {}", e.what());
        }
    }
}

void Worker::resume(const std::vector<hosts::Outage>& outages) {
    std::vector<std::int64_t> were_running;
    for (const auto& o : outages)
        if (o.status == "running") were_running.push_back(o.linode_id);
    if (were_running.empty()) return;
    const auto gone = driver_.adopt(were_running);
    auto tx = db_.begin_in(store::Access::write, store::Scope::system());
    for (auto id : were_running) {
        if (std::find(gone.begin(), gone.end(), id) != gone.end()) continue;
        auto linode = linodes::find(*tx, id);
        if (!linode || linode->status != "offline") continue;
        linodes::set_status(*tx, id, "running");
        record_event(
            *tx, {"linode_boot", linode_entity(id, linode->label), std::nullopt, "notification",
                  linode->user_id, "", "The Linode's host is back and its machine still runs."});
    }
    tx->commit();
}

void Worker::heartbeat() {
    // Leases are renewed every third of their length; between renewals, the holder of the hosts
    // duty looks every two seconds for tables whose statistics went stale.
    const std::int64_t beat_every = std::max<std::int64_t>(lease_ms_ / 3, 10);
    const std::int64_t tick = std::min<std::int64_t>(beat_every, 2000);
    std::int64_t next_beat = now_ms();
    const std::int64_t sample_every = stats::Sampler::interval_ms();
    std::int64_t next_sample = now_ms();
    using Steady = std::chrono::steady_clock;
    auto last_round = Steady::now() - std::chrono::seconds(1);
    auto next_duty = Steady::now();
    while (!stopping_) {
        {
            std::unique_lock lock(mutex_);
            beat_.wait_for(lock, std::chrono::milliseconds(tick),
                           [this] { return stopping_.load() || firewalls_due_.load(); });
            // Wake-ups come with every job added: a burst of creates is looked at in rounds
            // at least kComponentRoundMs apart, not once per create.
            const auto since = Steady::now() - last_round;
            if (since < std::chrono::milliseconds(kComponentRoundMs))
                beat_.wait_for(lock, std::chrono::milliseconds(kComponentRoundMs) - since,
                               [this] { return stopping_.load(); });
        }
        if (stopping_) break;
        last_round = Steady::now();
        // Leases first: the components below may wait on their programs for seconds.
        try {
            if (now_ms() >= next_beat) {
                next_beat = now_ms() + beat_every;
                beat();
            }
        } catch (const std::exception& e) {
            spdlog::error("job lease renewal: {}", e.what());
        }
        // A change woke the worker (it may be a firewall's), or the tick came: the rules in
        // force are looked at either way.
        firewalls_due_ = false;
        try {
            enforcer_.sync(name_);
        } catch (const std::exception& e) {
            spdlog::warn("Cloud Firewalls: {}", e.what());
        }
        try {
            keeper_.sync(name_, now_ms());
        } catch (const std::exception& e) {
            spdlog::warn("NodeBalancers: {}", e.what());
        }
        if (publisher_ != nullptr) try {
                publisher_->sync(holds_dns_duty_);
            } catch (const std::exception& e) {
                spdlog::warn("DNS: {}", e.what());
            }
        // The hosts duty's rounds come every tick, however often the worker is woken.
        if (holds_hosts_duty_ && Steady::now() >= next_duty) {
            next_duty = Steady::now() + std::chrono::milliseconds(tick);
            try {
                db_.refresh_statistics();
            } catch (const std::exception& e) {
                spdlog::error("planner statistics: {}", e.what());
            }
            try {
                // Cancelled accounts are torn down step by step, a round each tick.
                tear_down_cancelled();
            } catch (const std::exception& e) {
                spdlog::error("cancelled accounts: {}", e.what());
            }
        }
        if (now_ms() >= next_sample) {
            next_sample = now_ms() + sample_every;
            try {
                sampler_.sample(now_ms());
            } catch (const std::exception& e) {
                spdlog::warn("Linode statistics: {}", e.what());
            }
        }
    }
}

void Worker::beat() {
    const std::int64_t now = now_ms();
    // Run again when it collides (the lost-hosts duty of another node holds a host of this
    // one): a renewal that is not committed is a lease that runs out.
    store::again_on_conflict([&] {
        auto tx = db_.begin_in(store::Access::write, store::Scope::system());
        JobRepository(*tx).renew(name_, held(), now + lease_ms_);
        hosts::HostRepository(*tx).renew(name_, now + lease_ms_);
        // One process at a time watches for lost hosts.
        holds_hosts_duty_ = hosts::DutyRepository(*tx).hold("hosts", name_, now, now + lease_ms_);
        // And one runs the DNS server, among those that would.
        if (publisher_ != nullptr)
            holds_dns_duty_ = hosts::DutyRepository(*tx).hold("dns", name_, now, now + lease_ms_);
        tx->commit();
    });
    if (!holds_hosts_duty_) return;
    // Lost hosts in a transaction of their own, after the renewals are committed: it locks
    // other nodes' hosts, and a failure here must not cost this node its leases.
    try {
        const bool moved = store::again_on_conflict([&] {
            auto tx = db_.begin_in(store::Access::write, store::Scope::system());
            const auto reaped = hosts::reap_lost_hosts(*tx, now);
            const bool any = reaped.moved > 0 || reaped.nodebalancers > 0;
            if (any) tx->notify(kJobsChannel);
            tx->commit();
            return any;
        });
        if (moved) wake();
    } catch (const std::exception& e) {
        spdlog::error("lost hosts: {}", e.what());
    }
    take_due_backups();
    close_due_invoices();
}

void Worker::take_due_backups() {
    // A transaction of its own: a failure here leaves the leases renewed.
    try {
        auto tx = db_.begin_in(store::Access::write, store::Scope::system());
        const int taken = backups::take_due(*tx, unix_now());
        if (taken > 0) tx->notify(kJobsChannel);
        tx->commit();
        if (taken > 0) wake();
    } catch (const std::exception& e) {
        spdlog::error("automatic backups: {}", e.what());
    }
}

void Worker::close_due_invoices() {
    const std::int64_t month = month_at(clock::unix_seconds()).start;
    if (month == invoiced_through_) return;
    try {
        auto tx = db_.begin_in(store::Access::write, store::Scope::system());
        const int written = billing::close_due(*tx, clock::unix_seconds());
        tx->commit();
        invoiced_through_ = month;
        if (written > 0)
            spdlog::info("billing: {} invoices for the months before this one", written);
    } catch (const std::exception& e) {
        spdlog::error("billing: {}", e.what());
    }
}

void Worker::tear_down_cancelled() {
    try {
        auto tx = db_.begin_in(store::Access::write, store::Scope::system());
        const auto round = account::tear_down(*tx);
        if (round.accounts == 0) return;
        if (round.started > 0) tx->notify(kJobsChannel);
        tx->commit();
        if (round.erased > 0) spdlog::info("cancelled accounts: {} erased", round.erased);
        // Deletions' jobs run now; the next round comes with the next tick.
        if (round.started > 0) wake();
    } catch (const std::exception& e) {
        spdlog::error("cancelled accounts: {}", e.what());
    }
}

void Worker::monitor() {
    while (!stopping_) {
        {
            std::unique_lock lock(mutex_);
            beat_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_.load(); });
        }
        if (stopping_ || !holds_hosts_duty_) continue;
        try {
            monitor_.check_due(clock::unix_seconds(), stopping_);
        } catch (const std::exception& e) {
            spdlog::warn("Managed services: {}", e.what());
        }
    }
}

void Worker::stop() {
    stopping_ = true;
    cv_.notify_all();
    beat_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
    if (publisher_ != nullptr && holds_dns_duty_.exchange(false)) {
        publisher_->stop();
        // Another process may take the DNS server over at once.
        try {
            auto tx = db_.begin_in(store::Access::write, store::Scope::system());
            hosts::DutyRepository(*tx).give_up("dns", name_);
            tx->commit();
        } catch (const std::exception& e) {
            spdlog::warn("DNS: giving the duty up: {}", e.what());
        }
    }
}

std::vector<std::pair<std::string, std::string>> Worker::problems() const {
    std::vector<std::pair<std::string, std::string>> out;
    if (!keeper_.serving())
        out.emplace_back("nodebalancers",
                         "the load balancer could not serve every NodeBalancer (see the log)");
    if (publisher_ != nullptr)
        if (auto why = publisher_->problem(); !why.empty()) out.emplace_back("dns", why);
    return out;
}

void Worker::renew_now() {
    const std::int64_t now = now_ms();
    auto tx = db_.begin_in(store::Access::write, store::Scope::system());
    JobRepository(*tx).renew(name_, held(), now + lease_ms_);
    hosts::HostRepository(*tx).renew(name_, now + lease_ms_);
    tx->commit();
}

void Worker::hold(std::int64_t job_id) {
    std::lock_guard lock(held_mutex_);
    held_.insert(job_id);
}

void Worker::let_go(std::int64_t job_id) {
    std::lock_guard lock(held_mutex_);
    if (auto it = held_.find(job_id); it != held_.end()) held_.erase(it);
}

std::vector<std::int64_t> Worker::held() const {
    std::lock_guard lock(held_mutex_);
    std::vector<std::int64_t> out;
    for (auto it = held_.begin(); it != held_.end(); it = held_.upper_bound(*it))
        out.push_back(*it);
    return out;
}

void Worker::wake() {
    bool idle = false;
    {
        std::lock_guard lock(mutex_);
        ++wakes_;
        firewalls_due_ = true;
        idle = polling_ == 0;
    }
    // A thread that looks at the queue now looks again when it is done (see Polling), so that
    // a burst of jobs is taken by the thread already at the queue, a few per commit.
    if (idle) cv_.notify_one();
    beat_.notify_all();
}

Worker::Polling::Polling(Worker& worker) : worker_(worker) {
    std::lock_guard lock(worker_.mutex_);
    ++worker_.polling_;
    seen_ = worker_.wakes_;
}

Worker::Polling::~Polling() {
    bool missed = false;
    {
        std::lock_guard lock(worker_.mutex_);
        --worker_.polling_;
        missed = worker_.wakes_ != seen_;
    }
    if (missed) worker_.cv_.notify_one();
}

void Worker::mark_stopped(const std::vector<std::int64_t>& linodes, const std::string& why) {
    if (linodes.empty()) return;
    auto tx = db_.begin_in(store::Access::write, store::Scope::system());
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
        // Set when the queue was seen empty: when to look again.
        std::int64_t due = -1;
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(mutex_);
            seen = wakes_;
        }
        try {
            mark_stopped(driver_.stopped_unexpectedly(),
                         "The Linode's machine stopped unexpectedly.");
            worked = run_once(due);
        } catch (const std::exception& e) {
            spdlog::error("job worker: {}", e.what());
        }
        if (worked && due < 0) continue;
        std::int64_t wait_ms = 500;
        if (due >= 0 && due != INT64_MAX)
            wait_ms = std::clamp<std::int64_t>(due - now_ms(), 0, 500);
        std::unique_lock lock(mutex_);
        // A wake that came before the queue was looked at is answered already.
        if (cv_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                         [&] { return wakes_ != seen || stopping_.load(); }) &&
            driver_.performs_in_place() && !stopping_) {
            // Jobs come in bursts: those that follow within a moment share the claim's commit.
            lock.unlock();
            std::this_thread::sleep_for(std::chrono::milliseconds(kGatherMs));
        }
    }
}

bool Worker::run_once() {
    std::int64_t next_due = INT64_MAX;
    return run_once(next_due);
}

bool Worker::run_once(std::int64_t& next_due) {
    Job job;
    compute::Machine machine;
    {
        const Polling polling(*this);
        auto tx = db_.begin_in(store::Access::write, store::Scope::system());
        const std::int64_t now = now_ms();
        JobRepository jobs(*tx);
        // A Linode is locked before its job everywhere else (a request that deletes it cancels
        // its jobs): here the job comes first, so its Linode is not waited for. A job whose
        // Linode another transaction holds is passed over for the next one due.
        std::vector<std::int64_t> busy;
        // With a driver that performs in place, the next due job joins this transaction, up to
        // a few, so that a burst of jobs shares its commits: they are read together.
        const bool in_place = driver_.performs_in_place();
        const int wanted = in_place ? kJobsPerCommit : 1;
        // Due jobs read and not yet taken (in the order they are due), and whether the read
        // found as many as it asked for (then more may be due).
        std::deque<Job> read;
        bool read_all = false;
        // Jobs whose steps were all performed and recorded in this transaction.
        int recorded = 0;
        for (;;) {
            std::optional<Job> due;
            for (;;) {
                if (read.empty() && !read_all) {
                    const int asked = wanted - recorded;
                    for (auto& j : jobs.due(now, name_, busy, asked)) read.push_back(std::move(j));
                    read_all = static_cast<int>(read.size()) < asked;
                }
                if (read.empty()) break;
                due = std::move(read.front());
                read.pop_front();
                if (due->linode_id) {
                    linodes::LinodeRepository linodes(*tx);
                    if (!linodes.lock(*due->linode_id, false) && linodes.exists(*due->linode_id)) {
                        busy.push_back(due->id);
                        due.reset();
                        continue;
                    }
                }
                // due() read it in this write transaction, which holds it (on PostgreSQL, a
                // request that would change a job read here waits for the commit: a few
                // milliseconds, with a driver that performs in place).
                jobs.take(*due);
                break;
            }
            if (!due) {
                // Nothing (more) to do: when to look again, in the same transaction (soon, if a
                // busy Linode's job waits).
                next_due = busy.empty() ? jobs.next_due(name_).value_or(INT64_MAX)
                                        : now + kBusyLinodeRetryMs;
                if (recorded > 0) tx->commit();
                return recorded > 0;
            }
            job = std::move(*due);
            // With a driver that performs in place, a step that passes at once is not shown,
            // nor the start of an event that ends in this transaction.
            if (job.step == 0 && job.event_id) {
                if (in_place)
                    job.event_start_unwritten = true;
                else
                    update_event(*tx, job.event_id, "started", 0);
            }
            if (!begin_step(*tx, job, machine, in_place)) {
                finish(*tx, job);
                tx->commit();
                return true;
            }
            if (in_place && perform_in_place(*tx, job, machine)) {
                if (++recorded < kJobsPerCommit) continue;
                tx->commit();
                return true;
            }
            // The step is performed outside the transaction, by this worker while it holds the
            // job.
            write_event_start(*tx, job);
            jobs.hold(job, name_, now + lease_ms_);
            tx->commit();
            break;
        }
    }
    hold(job.id);
    try {
        // Steps that take no time follow one another without going back to the queue.
        while (advance(job, machine)) {
        }
    } catch (...) {
        let_go(job.id);
        throw;
    }
    let_go(job.id);
    return true;
}

bool Worker::begin_step(store::Transaction& tx, Job& job, compute::Machine& machine, bool in_place,
                        bool machine_read) {
    const auto& kind = kind_of(job.action);
    const auto steps = kind.plan(job.action, job.payload);
    if (job.step >= static_cast<int>(steps.size())) return false;
    const auto& step = steps[static_cast<std::size_t>(job.step)];
    if (step.op == compute::Operation::boot) start_boot_event(tx, job, in_place);
    const bool shows = !in_place || kind.shows_passing_steps();
    // A step that passed at once in place wrote nothing the machine is read from (its job's row
    // and its event wait for the transaction's end): the machine read for it holds for the next
    // step, unless that one's status is to be shown now.
    if (!machine_read || shows)
        machine = kind.begin(tx, job, step, shows, driver_.machine_detail());
    return true;
}

void Worker::finish(store::Transaction& tx, const Job& job) {
    kind_of(job.action).complete(tx, job);
    if (job.event_id) update_event(tx, job.event_id, "finished", 100);
    forget_secrets(tx, job, "done");
}

Worker::Performed Worker::perform(const Job& job, const Step& step,
                                  const compute::Machine& machine) {
    Performed out;
    try {
        out.duration = driver_.perform(step.op, machine);
    } catch (const compute::NotReady& e) {
        out.retry_ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.retry_after).count();
    } catch (const std::exception& e) {
        out.failure = e.what();
        return out;
    }
    if (job.linode_id) out.note = driver_.take_note(*job.linode_id);
    return out;
}

bool Worker::advance(Job& job, compute::Machine& machine) {
    const auto steps = kind_of(job.action).plan(job.action, job.payload);
    const auto& step = steps[static_cast<std::size_t>(job.step)];
    const auto done = perform(job, step, machine);
    if (done.failure) {
        fail(job, *done.failure);
        return false;
    }
    const Job performed = job;
    try {
        return store::again_on_conflict([&] {
            job = performed;
            return record(job, machine, step, done.duration, done.retry_ms, done.note);
        });
    } catch (const store::StoreUnavailable& e) {
        let_go_unrecorded(performed, e.what());
        return false;
    } catch (const store::Conflict& e) {
        let_go_unrecorded(performed, e.what());
        return false;
    } catch (const std::exception& e) {
        // Recording the step's effect itself failed, and would again: the job fails (if even
        // that cannot be recorded, it is let go of as above).
        fail(performed, e.what());
        return false;
    }
}

void Worker::let_go_unrecorded(const Job& job, const std::string& why) {
    // Not recorded (the store is away, or the transaction kept colliding): the job is let go
    // of, its lease runs out, and the step is performed again (steps are idempotent).
    spdlog::error("job {} ({}): the step's result was not recorded: {}", job.id, job.action, why);
}

bool Worker::perform_in_place(store::Transaction& tx, Job& job, compute::Machine& machine) {
    const auto& kind = kind_of(job.action);
    for (;;) {
        const auto steps = kind.plan(job.action, job.payload);
        const auto& step = steps[static_cast<std::size_t>(job.step)];
        const auto done = perform(job, step, machine);
        // A step that does not pass at once shows its status now (begin_step left it unshown).
        if ((done.failure || done.duration.count() > 0 || done.retry_ms >= 0) &&
            !kind.shows_passing_steps())
            kind.show(tx, job, step);
        // Performed again outside the transaction, where its failure is recorded.
        if (done.failure) return false;
        if (!record_step(tx, job, machine, step, done.duration, done.retry_ms, done.note, true))
            return true;
    }
}

bool Worker::record(Job& job, compute::Machine& machine, const Step& step,
                    std::chrono::milliseconds duration, std::int64_t retry_ms,
                    const std::string& note) {
    auto tx = db_.begin_in(store::Access::write, store::Scope::system());
    // The Linode before its job, as everywhere else: its lock goes ahead of the job's read, in
    // the same round trip.
    linodes::LinodeRepository linodes(*tx);
    if (job.linode_id) linodes.read_ahead_lock(*job.linode_id);
    // The job may have been cancelled (the Linode deleted) or told to boot when done (an alpha
    // boot during provisioning) while the driver worked.
    JobRepository jobs(*tx);
    // Fencing: a worker whose lease ran out (it stalled, another took the job over) records
    // nothing of the step it performed.
    auto current = jobs.find_held(job);
    if (job.linode_id) linodes.lock(*job.linode_id);
    if (!current) {
        if (jobs.find_active(job.id))
            spdlog::warn("job {} ({}): claim lost; the step's result is not recorded", job.id,
                         job.action);
        return false;
    }
    job.payload = std::move(current->payload);
    const bool more = record_step(*tx, job, machine, step, duration, retry_ms, note, false);
    tx->commit();
    return more;
}

bool Worker::record_step(store::Transaction& tx, Job& job, compute::Machine& machine,
                         const Step& step, std::chrono::milliseconds duration,
                         std::int64_t retry_ms, const std::string& note, bool in_place) {
    JobRepository jobs(tx);
    if (retry_ms >= 0) {
        // Not yet (an image still building): the same step again later.
        write_event_start(tx, job);
        jobs.put_back(job, now_ms() + retry_ms);
        return false;
    }
    ++job.step;
    if (job.event_id && !(duration.count() == 0 && note.empty() && next_ends_event(job))) {
        update_event(tx, job.event_id, "started", step.percent,
                     note.empty() ? std::nullopt : std::optional<std::string>(note));
        job.event_start_unwritten = false;
    }
    if (duration.count() > 0) {
        write_event_start(tx, job);
        jobs.put_back(job, now_ms() + duration.count());
        return false;
    }
    // The step took no time: the next one starts in this same transaction. In place, the job's
    // row is written once, when its part in the transaction ends.
    const bool more = begin_step(tx, job, machine, in_place, in_place);
    if (!more)
        finish(tx, job);
    else if (!in_place)
        jobs.set_step(job);
    return more;
}

void Worker::fail(const Job& job, const std::string& message) {
    spdlog::warn("job {} ({}) failed: {}", job.id, job.action, message);
    try {
        store::again_on_conflict([&] {
            auto tx = db_.begin_in(store::Access::write, store::Scope::system());
            // The Linode's lock goes ahead of the job's read, as in record().
            linodes::LinodeRepository linodes(*tx);
            if (job.linode_id) linodes.read_ahead_lock(*job.linode_id);
            const bool held = JobRepository(*tx).holds(job);
            if (job.linode_id) linodes.lock(*job.linode_id);
            if (!held) return;  // another worker has it now
            kind_of(job.action).abandon(*tx, job);
            fail_events(*tx, job, message);
            forget_secrets(*tx, job, "failed");
            tx->commit();
        });
    } catch (const std::exception& e) {
        // The job is let go of; whoever claims it next performs the step again.
        spdlog::error("job {} ({}): its failure was not recorded: {}", job.id, job.action,
                      e.what());
    }
}

}  // namespace linnet::jobs
