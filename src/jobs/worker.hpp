// Workers: threads that take due jobs from the store, ask the compute driver to perform each
// step, and record progress; no thread sleeps through a step, so thousands of jobs can wait on
// their timers at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "compute/driver.hpp"
#include "domains/publisher.hpp"
#include "firewalls/enforcer.hpp"
#include "hosts/node.hpp"
#include "jobs/job_kind.hpp"
#include "jobs/jobs.hpp"
#include "managed/monitor.hpp"
#include "nodebalancers/keeper.hpp"
#include "stats/sampler.hpp"
#include "store/database.hpp"

namespace linnet::jobs {

// How long a claim waits when the job's Linode is held by another transaction.
inline constexpr std::int64_t kBusyLinodeRetryMs = 50;
// The least time between two rounds of the heartbeat's components (firewall rules, load
// balancers, DNS) when wake-ups come one after another.
inline constexpr std::int64_t kComponentRoundMs = 200;
// Jobs of a driver that performs in place that one transaction claims and records at most,
// and how long a woken worker of such a driver lets a burst of new jobs gather first.
inline constexpr int kJobsPerCommit = 8;
inline constexpr std::int64_t kGatherMs = 5;

class Worker {
  public:
    // `node.node` names this worker process: its hosts and its job claims in the store; `lease`
    // is how long its claims and hosts last without renewal: a worker that dies gives its
    // Linodes and jobs up to others after it.
    Worker(store::Database& db, compute::Driver& driver, hosts::NodeOptions node,
           std::chrono::milliseconds lease = default_lease())
        : db_(db),
          driver_(driver),
          node_(std::move(node)),
          name_(node_.node),
          lease_ms_(lease.count()),
          sampler_(db, driver),
          monitor_(db),
          enforcer_(db, driver),
          keeper_(db, driver) {}
    ~Worker() { stop(); }

    // The machine's host name.
    static std::string default_name();
    // 30 s, or LINNET_JOB_LEASE_MS.
    static std::chrono::milliseconds default_lease();

    // Enrols its hosts, takes back the jobs this worker's previous run held, then starts the
    // threads and the heartbeat that renews its leases and, while this process holds the duty,
    // watches for lost hosts.
    void start(unsigned threads = 2);
    void stop();
    // A job was added: look now rather than at the next timer.
    void wake();
    // Whether Managed services at loopback addresses are checked (see managed/addresses.hpp).
    void allow_loopback_services(bool allowed) { monitor_.allow_loopback(allowed); }
    // Renews this worker's job claims and hosts now (the clock seam moved time on).
    void renew_now();
    // The DNS server this process runs while it holds the cluster's dns duty (set before
    // start()); none: it never takes the duty.
    void publish_domains(domains::Publisher* publisher) { publisher_ = publisher; }
    // What is wrong with the components the heartbeat keeps (load balancer, DNS), by name.
    std::vector<std::pair<std::string, std::string>> problems() const;

    // Runs one due job step if there is one (with a driver that performs in place, the due
    // jobs, a few at a time); answers false when nothing was due (for tests).
    bool run_once();
    // The same; when it saw no job left due, `next_due` is when the next job of this node will
    // be, read in the same transaction (INT64_MAX: none), and it is left as it was otherwise.
    bool run_once(std::int64_t& next_due);

  private:
    void loop();
    void heartbeat();
    // Wakes the job threads when another process signals a new job (PostgreSQL).
    void listen();
    void beat();
    // The holder of the hosts duty enqueues the automatic backups that are due.
    void take_due_backups();
    // At a month's start, the past month's invoices (the holder of the hosts duty).
    void close_due_invoices();
    // A round of the teardown of cancelled accounts (the holder of the hosts duty, every tick).
    void tear_down_cancelled();
    // The Managed services' checks, on a thread of their own (a check may wait its timeout).
    void monitor();
    // Linodes of a lost host that came back: those whose machines still run are running again.
    void resume(const std::vector<hosts::Outage>& outages);
    // What the driver answered for a step: how long it lasts, or when to ask again (NotReady),
    // or why it failed; and its note to the owner.
    struct Performed {
        std::chrono::milliseconds duration{0};
        std::int64_t retry_ms = -1;
        std::optional<std::string> failure;
        std::string note;
    };
    Performed perform(const Job& job, const Step& step, const compute::Machine& machine);
    // Performs the job's current step; answers true when the next step is due at once and was
    // begun (its status shown, `machine` read again).
    bool advance(Job& job, compute::Machine& machine);
    // Records the performed step in one transaction (run again when it collides with another):
    // the next step due, or the next begun at once (true), or the job finished.
    bool record(Job& job, compute::Machine& machine, const Step& step,
                std::chrono::milliseconds duration, std::int64_t retry_ms, const std::string& note);
    // Records a performed step in `tx`, which holds the job (its claim written, or taken in
    // `tx` in place) and its Linode: the next step due, or the next begun at once (true), or
    // the job finished.
    bool record_step(store::Transaction& tx, Job& job, compute::Machine& machine, const Step& step,
                     std::chrono::milliseconds duration, std::int64_t retry_ms,
                     const std::string& note, bool in_place);
    // For a driver whose operations are bookkeeping: performs the job's steps in the claiming
    // transaction and records them there, until one lasts, waits or the job is done (true); false
    // when a step failed, which is then performed again outside it.
    bool perform_in_place(store::Transaction& tx, Job& job, compute::Machine& machine);
    // Shows the status of the job's current step and reads its machine; false when no step is
    // left.
    // `in_place`: the step is performed in this transaction, and its status is shown only if it
    // does not pass at once (where its kind allows). `machine_read`: `machine` was read in this
    // transaction for the job's previous step, which passed at once in place.
    bool begin_step(store::Transaction& tx, Job& job, compute::Machine& machine,
                    bool in_place = false, bool machine_read = false);
    void finish(store::Transaction& tx, const Job& job);
    // Linodes whose machines stopped on their own become offline, with an event.
    void mark_stopped(const std::vector<std::int64_t>& linodes, const std::string& why);
    void fail(const Job& job, const std::string& message);
    void let_go_unrecorded(const Job& job, const std::string& why);
    // The jobs this process's threads are working on: the heartbeat renews their leases and no
    // other. A job whose step could not be recorded is let go of, and its lease runs out.
    void hold(std::int64_t job_id);
    void let_go(std::int64_t job_id);
    std::vector<std::int64_t> held() const;

    store::Database& db_;
    compute::Driver& driver_;
    // Whether the last heartbeat held the hosts duty (lost hosts, stale statistics).
    std::atomic<bool> holds_hosts_duty_ = false;
    // The start of the month whose past months were last invoiced (heartbeat thread only).
    std::int64_t invoiced_through_ = 0;
    hosts::NodeOptions node_;
    std::string name_;
    std::int64_t lease_ms_;
    // What this host's running Linodes use, sampled by the heartbeat.
    stats::Sampler sampler_;
    // Checks Managed services while this process holds the hosts duty.
    managed::Monitor monitor_;
    // The Cloud Firewall rules of this node's Linodes, kept in force by the heartbeat.
    firewalls::Enforcer enforcer_;
    // The NodeBalancers of this node's hosts, kept served by the heartbeat.
    nodebalancers::Keeper keeper_;
    domains::Publisher* publisher_ = nullptr;
    std::atomic<bool> holds_dns_duty_ = false;
    std::atomic<bool> firewalls_due_{true};
    std::vector<std::thread> threads_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
    std::condition_variable beat_;
    // Wake-ups so far, and the threads looking at the queue (guarded by mutex_).
    std::uint64_t wakes_ = 0;
    int polling_ = 0;
    // While a thread looks at the queue: wake-ups go to it rather than to an idle thread; when
    // one came meanwhile, another thread is woken as it leaves.
    class Polling {
      public:
        explicit Polling(Worker& worker);
        ~Polling();
        Polling(const Polling&) = delete;
        Polling& operator=(const Polling&) = delete;

      private:
        Worker& worker_;
        std::uint64_t seen_ = 0;
    };
    mutable std::mutex held_mutex_;
    // A multiset: a thread that let go of a job may still be on its way out when another
    // claims the same job again.
    std::multiset<std::int64_t> held_;
};

}  // namespace linnet::jobs
