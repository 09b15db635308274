// The kinds of jobs, by the prefix of their action.
#include "images/image_jobs.hpp"
#include "jobs/job_kind.hpp"
#include "linodes/linode_jobs.hpp"
#include "volumes/volume_jobs.hpp"

namespace linnet::jobs {

const JobKind& kind_of(std::string_view action) {
    static const linodes::LinodeJobs linode;
    static const volumes::VolumeJobs volume;
    static const images::ImageJobs image;
    if (action.starts_with("volume_")) return volume;
    if (action.starts_with("image_")) return image;
    return linode;
}

}  // namespace linnet::jobs
