// A Linode's jobs, through the lifecycle's table and the completion rules.
#include "linodes/linode_jobs.hpp"

#include "linodes/completion.hpp"
#include "linodes/instances.hpp"
#include "linodes/lifecycle.hpp"
#include "linodes/linode_repository.hpp"
#include "linodes/machine.hpp"

namespace linnet::linodes {

std::vector<jobs::Step> LinodeJobs::plan(std::string_view action,
                                         const boost::json::object& payload) const {
    return linodes::plan(action, payload);
}

void LinodeJobs::show(store::Transaction& tx, const jobs::Job& job, const jobs::Step& step) const {
    if (!step.status.empty() && job.linode_id) set_status(tx, *job.linode_id, step.status);
}

compute::Machine LinodeJobs::machine(store::Transaction& tx, const jobs::Job& job,
                                     compute::MachineDetail detail) const {
    return machine_of(tx, job, detail);
}

compute::Machine LinodeJobs::begin(store::Transaction& tx, const jobs::Job& job,
                                   const jobs::Step& step, bool shows,
                                   compute::MachineDetail detail) const {
    // The machine (the Linode's disks, and with the whole detail its config, address and specs)
    // does not follow its status: the status is read with it (one round trip on PostgreSQL) and
    // written after.
    shows = shows && !step.status.empty() && job.linode_id;
    if (shows) LinodeRepository(tx).read_ahead_status(*job.linode_id);
    auto machine = machine_of(tx, job, detail);
    if (shows) set_status(tx, *job.linode_id, step.status);
    return machine;
}

void LinodeJobs::complete(store::Transaction& tx, const jobs::Job& job) const {
    linodes::complete(tx, job);
}

void LinodeJobs::abandon(store::Transaction& tx, const jobs::Job& job) const {
    linodes::abandon(tx, job);
}

}  // namespace linnet::linodes
