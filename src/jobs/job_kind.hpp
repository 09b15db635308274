// What a job acts on, by kind: a Linode's jobs (linode_boot, disk_create, ...) and a Volume's
// (volume_create, volume_attach, ...) go through the same queue, claims and events; each kind
// says what its steps are, what the subject shows while a step runs, what the driver is told,
// and how the job ends.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "compute/driver.hpp"
#include "jobs/jobs.hpp"
#include "store/database.hpp"

namespace linnet::jobs {

// A step of a job: the subject shows `status` (empty: unchanged) while the driver performs `op`;
// when it is done the event reaches `percent`.
struct Step {
    std::string status;
    compute::Operation op;
    int percent;
};

class JobKind {
  public:
    virtual ~JobKind() = default;
    // The steps of a job. The payload carries what the request decided.
    virtual std::vector<Step> plan(std::string_view action,
                                   const boost::json::object& payload) const = 0;
    // Before the step runs: its subject shows the step's status.
    virtual void show(store::Transaction& tx, const Job& job, const Step& step) const = 0;
    // What the driver needs to perform the job's steps, as much as it reads (`detail`).
    virtual compute::Machine machine(store::Transaction& tx, const Job& job,
                                     compute::MachineDetail detail) const = 0;
    // A step begins: show() (unless `shows` is false) and machine(). A kind whose machine does
    // not follow the status may read both at once.
    virtual compute::Machine begin(store::Transaction& tx, const Job& job, const Step& step,
                                   bool shows, compute::MachineDetail detail) const {
        if (shows) show(tx, job, step);
        return machine(tx, job, detail);
    }
    // False when a step's status need not be shown if the step passes at once, in the
    // transaction that begins the next: the kind's completion sets the final status itself.
    virtual bool shows_passing_steps() const { return true; }
    virtual void complete(store::Transaction& tx, const Job& job) const = 0;
    // The job failed: its subject goes back to a status it can be used in.
    virtual void abandon(store::Transaction& tx, const Job& job) const = 0;
};

// The kind that runs `action` (jobs/kinds.cpp lists them).
const JobKind& kind_of(std::string_view action);

}  // namespace linnet::jobs
