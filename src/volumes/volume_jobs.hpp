// A volume's jobs as a kind of job: volume_create, _attach, _detach, _resize, _clone, _delete.
#pragma once

#include "jobs/job_kind.hpp"

namespace linnet::volumes {

class VolumeJobs : public jobs::JobKind {
  public:
    std::vector<jobs::Step> plan(std::string_view action,
                                 const boost::json::object& payload) const override;
    void show(store::Transaction& tx, const jobs::Job& job, const jobs::Step& step) const override;
    compute::Machine machine(store::Transaction& tx, const jobs::Job& job,
                             compute::MachineDetail detail) const override;
    void complete(store::Transaction& tx, const jobs::Job& job) const override;
    void abandon(store::Transaction& tx, const jobs::Job& job) const override;
};

}  // namespace linnet::volumes
