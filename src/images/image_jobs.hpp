// An image's jobs as a kind of job: image_replicate (keeping an image in more regions). The
// capture of a disk is a job of its Linode (disk_imagize).
#pragma once

#include "jobs/job_kind.hpp"

namespace linnet::images {

class ImageJobs : public jobs::JobKind {
  public:
    std::vector<jobs::Step> plan(std::string_view action,
                                 const boost::json::object& payload) const override;
    void show(store::Transaction& tx, const jobs::Job& job, const jobs::Step& step) const override;
    compute::Machine machine(store::Transaction& tx, const jobs::Job& job,
                             compute::MachineDetail detail) const override;
    void complete(store::Transaction& tx, const jobs::Job& job) const override;
    void abandon(store::Transaction& tx, const jobs::Job& job) const override;
};

}  // namespace linnet::images
