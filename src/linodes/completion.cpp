// Completing and abandoning jobs.
#include "linodes/completion.hpp"

#include "backups/backups.hpp"
#include "billing/meter.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "hosts/placement.hpp"
#include "images/private_images.hpp"
#include "linodes/address_repository.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/disk_repository.hpp"
#include "linodes/instances.hpp"

namespace linnet::linodes {

namespace {

std::string text(const boost::json::object& o, const char* key, const std::string& fallback = "") {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : fallback;
}

std::int64_t number(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_int64() ? v->as_int64() : 0;
}

// Removes a disk and every config device that points at it.
void remove_disk(store::Transaction& tx, std::int64_t disk_id) {
    DiskRepository disks(tx);
    auto disk = disks.find(disk_id);
    if (!disk) return;
    ConfigRepository(tx).clear_devices(disk->linode_id, "disk_id", disk_id);
    disks.remove(disk_id);
}

}  // namespace

void complete(store::Transaction& tx, const jobs::Job& job) {
    if (!job.linode_id) return;
    const std::int64_t id = *job.linode_id;
    const auto& p = job.payload;
    const std::string& action = job.action;

    LinodeRepository linodes(tx);
    ConfigRepository configs(tx);
    // A job that ends with the Linode running names the config it boots, or boots the first:
    // that one is read with the Linode, before anything is written.
    const bool boots_first = action != "linode_delete" && text(p, "final_status") == "running" &&
                             number(p, "config_id") == 0;
    if (boots_first) configs.read_ahead_first_id(id);
    // Whether the job changes more of the Linode than its status (then it is saved whole);
    // otherwise its status is read with the Linode too, and written before the rest.
    const bool reshaped = action == "linode_snapshot" || action == "linode_resize" ||
                          action == "linode_mutate" || action == "linode_migrate";
    if (!reshaped && action != "linode_delete") linodes.read_ahead_status(id);
    // Its tags are read only when the Linode is saved whole (below).
    auto linode = linodes.find_untagged(id);
    if (!linode) return;
    if (action == "linode_delete") {
        hosts::release(tx, id, linode->type);
        // Billing reads its month's transfer before the counters go with the Linode.
        billing::stop(tx, "linode", id);
        linodes.remove(id);
        return;
    }
    const std::string status = text(p, "final_status", linode->status);
    // No job's completion below adds or removes a config.
    std::int64_t booted_config = number(p, "config_id");
    if (status == "running" && booted_config == 0) booted_config = configs.first_id(id).value_or(0);
    // The config it runs (the job's, else its first): its interfaces are active now.
    const auto booted = status == "running" ? std::optional(booted_config) : std::nullopt;
    if (!reshaped) linodes.set_status(id, status, booted);

    DiskRepository disks(tx);
    if (action == "disk_create" || action == "disk_duplicate") {
        disks.set_status(number(p, "disk_id"), "ready");
    } else if (action == "disk_resize") {
        disks.set_size(number(p, "disk_id"), number(p, "size"));
        disks.set_status(number(p, "disk_id"), "ready");
    } else if (action == "disk_delete") {
        remove_disk(tx, number(p, "disk_id"));
    } else if (action == "disk_imagize") {
        images::capture_done(tx, text(p, "image_id"), linode->region);
    } else if (action == "linode_snapshot") {
        backups::taken(tx, number(p, "backup_id"));
        if (auto updated = find(tx, id)) linode->settings = updated->settings;
    } else if (action == "backups_restore") {
        disks.ready_all(id);
    } else if (action == "linode_resize" || action == "linode_mutate") {
        if (auto type = find_type(tx, text(p, "new_type"))) {
            hosts::resize(tx, id, linode->type, text(p, "new_type"));
            linode->type = text(p, "new_type");
            linode->settings["specs"] = specs_of(*type);
        }
        if (auto disk = number(p, "resize_disk_id"))
            disks.set_size(disk, number(p, "resize_disk_size"));
    } else if (action == "linode_migrate") {
        const std::string region = text(p, "new_region", linode->region);
        if (region != linode->region) {
            const auto size = hosts::size_of_type(tx, linode->type);
            hosts::move(tx, {id, region, linode->status, size.memory, size.disk}, region);
            // move() saved the Linode with its new host: the copy here takes the same host.
            if (auto moved = find(tx, id)) linode->settings = moved->settings;
        }
        linode->region = region;
        AddressRepository(tx).move_region(id, region);
    } else if (action == "linode_clone") {
        if (auto target = number(p, "target_id")) {
            disks.ready_all(target);
            set_status(tx, target, "offline");
        }
    } else if (action == "linode_create" || action == "linode_rebuild") {
        disks.ready_all(id);
    }
    if (reshaped) {
        linodes.read_tags(*linode);
        linode->status = status;
        save(tx, *linode);
        if (booted) linodes.mark_booted(id, *booted);
    }
}

void abandon(store::Transaction& tx, const jobs::Job& job) {
    if (!job.linode_id) return;
    const auto& p = job.payload;
    if (job.action == "linode_delete") {
        // A Linode whose machine could not be destroyed is still gone from the account.
        if (auto linode = find(tx, *job.linode_id)) hosts::release(tx, linode->id, linode->type);
        billing::stop(tx, "linode", *job.linode_id);
        LinodeRepository(tx).remove(*job.linode_id);
        return;
    }
    if (job.action == "disk_imagize") {
        images::capture_failed(tx, text(p, "image_id"));
    } else if (job.action == "linode_snapshot") {
        backups::failed(tx, number(p, "backup_id"));
    } else if (job.action == "backups_restore") {
        // The disks it was writing are not the backup's: they go.
        for (const auto& disk : DiskRepository(tx).of_linode(*job.linode_id))
            if (disk.status == "not ready") remove_disk(tx, disk.id);
    } else if (auto disk = number(p, "disk_id")) {
        if (job.action == "disk_create" || job.action == "disk_duplicate")
            DiskRepository(tx).remove(disk);
        else
            DiskRepository(tx).set_status(disk, "ready");
    }
    if (auto target = number(p, "target_id")) set_status(tx, target, "offline");
    set_status(tx, *job.linode_id, text(p, "fallback_status", "offline"));
}

}  // namespace linnet::linodes
