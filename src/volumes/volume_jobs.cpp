// What each volume job does step by step, and how it ends.
#include "volumes/volume_jobs.hpp"

#include <stdexcept>

#include "billing/meter.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/instances.hpp"
#include "linodes/linode_repository.hpp"
#include "volumes/volume_repository.hpp"

namespace linnet::volumes {

namespace json = boost::json;
using compute::Operation;

namespace {

std::int64_t number(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_int64() ? v->as_int64() : 0;
}

// Takes the volume out of every config of the Linode.
void remove_from_configs(store::Transaction& tx, std::int64_t linode_id, std::int64_t volume_id) {
    linodes::ConfigRepository(tx).clear_devices(linode_id, "volume_id", volume_id);
}

void detach_now(store::Transaction& tx, Volume& volume) {
    if (volume.linode_id) remove_from_configs(tx, *volume.linode_id, volume.id);
    volume.linode_id.reset();
    VolumeRepository(tx).save(volume);
}

}  // namespace

std::vector<jobs::Step> VolumeJobs::plan(std::string_view action, const json::object&) const {
    if (action == "volume_create") return {{"creating", Operation::volume_create, 100}};
    if (action == "volume_attach") return {{"", Operation::volume_attach, 100}};
    if (action == "volume_detach") return {{"", Operation::volume_detach, 100}};
    if (action == "volume_resize") return {{"resizing", Operation::volume_resize, 100}};
    if (action == "volume_clone") return {{"creating", Operation::volume_clone, 100}};
    if (action == "volume_delete") return {{"", Operation::volume_delete, 100}};
    throw std::out_of_range("unknown volume action " + std::string(action));
}

void VolumeJobs::show(store::Transaction& tx, const jobs::Job& job, const jobs::Step& step) const {
    if (step.status.empty()) return;
    VolumeRepository repo(tx);
    if (auto volume = repo.find(number(job.payload, "volume_id"));
        volume && volume->status != step.status) {
        volume->status = step.status;
        repo.save(*volume);
    }
}

compute::Machine VolumeJobs::machine(store::Transaction& tx, const jobs::Job& job,
                                     compute::MachineDetail) const {
    compute::Machine m;
    auto& v = m.volume;
    v.id = number(job.payload, "volume_id");
    v.source_id = number(job.payload, "source_id");
    v.linode_id = number(job.payload, "linode_id");
    // Only read: the volume's own steps lock it where they change it.
    if (auto volume = VolumeRepository(tx).find_unlocked(v.id)) {
        v.label = volume->label;
        v.size_gb = volume->size;
        v.encryption = volume->encryption;
        if (!v.linode_id && volume->linode_id) v.linode_id = *volume->linode_id;
    } else {
        // A deleted volume's job carries what releasing it needs.
        v.size_gb = number(job.payload, "size");
        if (const auto* label = job.payload.if_contains("label"); label && label->is_string())
            v.label = std::string(label->as_string());
    }
    if (v.linode_id) {
        m.linode_id = v.linode_id;
        if (auto label = linodes::LinodeRepository(tx).label_of(v.linode_id)) m.label = *label;
    }
    return m;
}

void VolumeJobs::complete(store::Transaction& tx, const jobs::Job& job) const {
    VolumeRepository repo(tx);
    auto volume = repo.find(number(job.payload, "volume_id"));
    if (!volume) return;
    if (job.action == "volume_detach") {
        detach_now(tx, *volume);
        return;
    }
    if (job.action == "volume_create" || job.action == "volume_resize" ||
        job.action == "volume_clone") {
        volume->status = "active";
        repo.save(*volume);
    }
}

void VolumeJobs::abandon(store::Transaction& tx, const jobs::Job& job) const {
    VolumeRepository repo(tx);
    auto volume = repo.find(number(job.payload, "volume_id"));
    if (!volume) return;
    if (job.action == "volume_create" || job.action == "volume_clone") {
        // Nothing backs it: the volume goes, and its failed event says why.
        if (volume->linode_id) remove_from_configs(tx, *volume->linode_id, volume->id);
        repo.remove(volume->id);
        billing::stop(tx, "volume", volume->id);
    } else if (job.action == "volume_attach") {
        detach_now(tx, *volume);
    } else if (job.action == "volume_resize") {
        volume->size = number(job.payload, "old_size");
        volume->status = "active";
        repo.save(*volume);
        billing::meter(tx, *volume);
    }
}

}  // namespace linnet::volumes
