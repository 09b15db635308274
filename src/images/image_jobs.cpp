// What an image job does, and how it ends.
#include "images/image_jobs.hpp"

#include <stdexcept>

#include "billing/meter.hpp"
#include "images/image_repository.hpp"
#include "images/private_images.hpp"

namespace linnet::images {

namespace {

std::string image_of(const jobs::Job& job) {
    const auto* v = job.payload.if_contains("image_id");
    return v && v->is_string() ? std::string(v->as_string()) : "";
}

}  // namespace

std::vector<jobs::Step> ImageJobs::plan(std::string_view action, const boost::json::object&) const {
    if (action == "image_replicate") return {{"", compute::Operation::image_replicate, 100}};
    throw std::out_of_range("unknown image action " + std::string(action));
}

void ImageJobs::show(store::Transaction&, const jobs::Job&, const jobs::Step&) const {}

compute::Machine ImageJobs::machine(store::Transaction&, const jobs::Job& job,
                                    compute::MachineDetail) const {
    compute::Machine m;
    m.image = image_of(job);
    return m;
}

void ImageJobs::complete(store::Transaction& tx, const jobs::Job& job) const {
    replicated(tx, image_of(job));
}

void ImageJobs::abandon(store::Transaction& tx, const jobs::Job& job) const {
    // The regions it could not reach are not kept.
    ImageRepository repo(tx);
    auto image = repo.find_private(image_of(job));
    if (!image) return;
    std::erase_if(image->regions,
                  [](const ImageRegion& r) { return r.status == "pending replication"; });
    repo.save_private(*image);
    billing::meter(tx, *image);
}

}  // namespace linnet::images
