// A Linode's jobs as a kind of job: its lifecycle's plans, statuses and endings.
#pragma once

#include "jobs/job_kind.hpp"

namespace linnet::linodes {

class LinodeJobs : public jobs::JobKind {
  public:
    std::vector<jobs::Step> plan(std::string_view action,
                                 const boost::json::object& payload) const override;
    void show(store::Transaction& tx, const jobs::Job& job, const jobs::Step& step) const override;
    compute::Machine machine(store::Transaction& tx, const jobs::Job& job,
                             compute::MachineDetail detail) const override;
    compute::Machine begin(store::Transaction& tx, const jobs::Job& job, const jobs::Step& step,
                           bool shows, compute::MachineDetail detail) const override;
    // A Linode's job ends with the status its request chose (final_status).
    bool shows_passing_steps() const override { return false; }
    void complete(store::Transaction& tx, const jobs::Job& job) const override;
    void abandon(store::Transaction& tx, const jobs::Job& job) const override;
};

}  // namespace linnet::linodes
