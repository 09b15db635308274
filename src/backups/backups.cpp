// The rules of backups.
#include "backups/backups.hpp"

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "jobs/events.hpp"
#include "jobs/job_repository.hpp"
#include "jobs/jobs.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/disk_repository.hpp"
#include "linodes/lifecycle.hpp"
#include "linodes/provisioning.hpp"

namespace linnet::backups {

namespace json = boost::json;

namespace {

constexpr std::int64_t kDay = 24 * 3600;
constexpr std::int64_t kRetryBusy = 15 * 60;
constexpr std::int64_t kWindow = 2 * 3600;

json::object& backups_of(linodes::Instance& linode) {
    return linode.settings["backups"].as_object();
}

void notify(store::Transaction& tx, const Actor& actor, const std::string& action,
            const linodes::Instance& linode) {
    jobs::record_event(tx, {action, jobs::linode_entity(linode.id, linode.label), std::nullopt,
                            "notification", actor.user_id, actor.username, ""});
}

void enroll(store::Transaction& tx, const linodes::Instance& linode) {
    const auto& schedule = linode.settings.at("backups").as_object().at("schedule").as_object();
    BackupRepository(tx).enroll(linode.id, linode.account_id,
                                next_window(unix_now(), schedule, linode.id));
}

}  // namespace

std::int64_t next_window(std::int64_t now_unix, const json::object& schedule,
                         std::int64_t linode_id) {
    std::int64_t hour = (linode_id % 12) * 2;
    if (const auto* w = schedule.if_contains("window"); w && w->is_string()) {
        const std::string window(w->as_string());
        if (window.size() > 1 && window[0] == 'W') hour = std::stoll(window.substr(1));
    }
    // Inside the window: now; else the window's next start.
    const std::int64_t midnight = now_unix - now_unix % kDay;
    std::int64_t start = midnight + hour * 3600;
    if (start + kWindow <= now_unix) start += kDay;
    return std::max(start, now_unix);
}

void enable(store::Transaction& tx, const Actor& actor, linodes::Instance& linode) {
    auto& b = backups_of(linode);
    if (b.at("enabled").as_bool()) return;
    b["enabled"] = true;
    b["available"] = true;
    linodes::save(tx, linode);
    enroll(tx, linode);
    notify(tx, actor, "backups_enable", linode);
}

void enroll_new(store::Transaction& tx, const linodes::Instance& linode) {
    enroll(tx, linode);
}

void cancel(store::Transaction& tx, const Actor& actor, linodes::Instance& linode) {
    auto& b = backups_of(linode);
    if (!b.at("enabled").as_bool())
        throw errors::bad_request("Backups are not enabled for this Linode.");
    b["enabled"] = false;
    b["available"] = false;
    b["last_successful"] = nullptr;
    linodes::save(tx, linode);
    BackupRepository repo(tx);
    repo.remove_all(linode.id);
    repo.withdraw(linode.id);
    notify(tx, actor, "backups_cancel", linode);
}

void reschedule(store::Transaction& tx, const linodes::Instance& linode) {
    if (BackupRepository(tx).next_due(linode.id)) enroll(tx, linode);
}

Backup begin(store::Transaction& tx, const linodes::Instance& linode, const std::string& type,
             const std::optional<std::string>& label) {
    Backup b;
    b.linode_id = linode.id;
    b.region = linode.region;
    b.type = type;
    b.label = label;
    for (const auto& d : linodes::DiskRepository(tx).of_linode(linode.id))
        b.disks.push_back({d.id, d.label, d.size, d.filesystem, d.image});
    for (const auto& c : linodes::ConfigRepository(tx).of_linode(linode.id))
        b.configs.push_back({std::string(c.at("label").as_string()), to_json(c)});
    BackupRepository repo(tx);
    b.id = repo.insert(b, linode.account_id);
    return repo.find(b.id).value_or(b);
}

std::vector<std::int64_t> kept_after(const std::vector<Backup>& all, std::int64_t backup_id) {
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const Backup& b) { return b.id == backup_id; });
    const std::string type = it != all.end() ? it->type : "snapshot";
    std::vector<std::int64_t> kept{backup_id};
    int automatic = type == "auto" ? 1 : 0;
    for (const auto& other : all) {
        if (other.id == backup_id) continue;
        // Failed ones go; one snapshot, the newest (or one still being taken); the newest
        // successful automatic ones.
        if (other.status == "failed") continue;
        if (other.type == "snapshot" && type == "snapshot" && other.status == "successful")
            continue;
        if (other.type == "auto" && other.status == "successful" && ++automatic > kAutomaticKept)
            continue;
        kept.push_back(other.id);
    }
    return kept;
}

void taken(store::Transaction& tx, std::int64_t backup_id) {
    BackupRepository repo(tx);
    auto backup = repo.find(backup_id);
    if (!backup) return;
    repo.set_status(backup_id, "successful", true);
    const auto all = repo.of_linode(backup->linode_id);
    const auto kept = kept_after(all, backup_id);
    for (const auto& other : all)
        if (std::find(kept.begin(), kept.end(), other.id) == kept.end()) repo.remove(other.id);
    if (auto linode = linodes::find(tx, backup->linode_id)) {
        backups_of(*linode)["last_successful"] = now_utc();
        linodes::save(tx, *linode);
    }
}

void failed(store::Transaction& tx, std::int64_t backup_id) {
    BackupRepository(tx).set_status(backup_id, "failed", true);
}

json::object plan_restore(store::Transaction& tx, const Backup& backup,
                          const linodes::Instance& target, bool overwrite) {
    linodes::DiskRepository disks(tx);
    linodes::ConfigRepository configs(tx);
    std::int64_t needed = 0;
    for (const auto& d : backup.disks) needed += d.size;
    const std::int64_t room =
        target.settings.at("specs").as_object().at("disk").to_number<std::int64_t>() -
        (overwrite ? 0 : disks.total_size(target.id));
    if (needed > room)
        throw errors::bad_request("The backup's disks need " + std::to_string(needed) +
                                      " MB; the Linode has " + std::to_string(room) +
                                      " MB free. Restore with overwrite, or resize.",
                                  "linode_id");
    if (overwrite) {
        configs.remove_all(target.id);
        disks.remove_all(target.id);
    }
    std::map<std::int64_t, std::int64_t> map;
    json::object disk_map;
    for (const auto& d : backup.disks) {
        map[d.disk_id] =
            disks.insert(target.id, d.label, d.size, d.filesystem, d.image, "not ready");
        disk_map[std::to_string(d.disk_id)] = map[d.disk_id];
    }
    for (const auto& c : backup.configs) {
        auto doc = json::parse(c.doc).as_object();
        for (auto& [slot, device] : doc["devices"].as_object()) {
            if (!device.is_object()) continue;
            const auto* disk = device.as_object().if_contains("disk_id");
            if (disk && disk->is_int64() && map.count(disk->as_int64()))
                device = json::object{{"disk_id", map[disk->as_int64()]}, {"volume_id", nullptr}};
            else
                device = nullptr;  // volumes are not in backups
        }
        // Addresses in VPC subnets are handed out afresh: the backup's may be others' now.
        linodes::insert_config(tx, target.id, doc, linodes::VpcAddressing::renumbered);
    }
    return json::object{{"backup_id", backup.id},
                        {"source_id", backup.linode_id},
                        {"disk_map", std::move(disk_map)}};
}

int take_due(store::Transaction& tx, std::int64_t now_unix, std::int64_t limit) {
    BackupRepository repo(tx);
    int taken_now = 0;
    for (const auto& [linode_id, account_id] : repo.due(now_unix, limit)) {
        auto linode = linodes::find(tx, linode_id);
        if (!linode) {
            repo.withdraw(linode_id);
            continue;
        }
        if (jobs::JobRepository(tx).has_active(linode_id) || !linodes::is_settled(linode->status)) {
            repo.enroll(linode_id, account_id, now_unix + kRetryBusy);
            continue;
        }
        const auto backup = begin(tx, *linode, "auto", std::nullopt);
        jobs::enqueue(tx, "linode_snapshot", linode_id, 0,
                      json::object{{"backup_id", backup.id},
                                   {"final_status", linode->status},
                                   {"fallback_status", linode->status}});
        const auto& schedule =
            linode->settings.at("backups").as_object().at("schedule").as_object();
        // Once a day: the next is in tomorrow's window.
        repo.enroll(linode_id, account_id, next_window(now_unix + kWindow, schedule, linode_id));
        ++taken_now;
    }
    return taken_now;
}

}  // namespace linnet::backups
