// Completing and abandoning jobs.
#include "linodes/completion.hpp"

#include "core/json.hpp"
#include "core/time.hpp"
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

void disks_ready(store::Transaction& tx, std::int64_t linode_id) {
    tx.execute(
        "UPDATE disks SET status = 'ready', updated = ? WHERE linode_id = ? AND status = "
        "'not ready'",
        {now_utc(), linode_id});
}

// Removes a disk and every config device that points at it.
void remove_disk(store::Transaction& tx, std::int64_t disk_id) {
    auto rows = tx.query("SELECT linode_id FROM disks WHERE id = ?", {disk_id});
    if (rows.empty()) return;
    for (const auto& c :
         tx.query("SELECT id, doc FROM configs WHERE linode_id = ?", {rows[0].integer(0)})) {
        auto doc = boost::json::parse(c.text(1)).as_object();
        bool changed = false;
        for (auto& [slot, device] : doc["devices"].as_object())
            if (device.is_object() && device.as_object().contains("disk_id") &&
                device.as_object().at("disk_id") == disk_id) {
                device = nullptr;
                changed = true;
            }
        if (changed)
            tx.execute("UPDATE configs SET doc = ? WHERE id = ?", {to_json(doc), c.integer(0)});
    }
    tx.execute("DELETE FROM disks WHERE id = ?", {disk_id});
}

}  // namespace

void complete(store::Transaction& tx, const jobs::Job& job) {
    if (!job.linode_id) return;
    const std::int64_t id = *job.linode_id;
    const auto& p = job.payload;
    const std::string& action = job.action;

    if (action == "linode_delete") {
        tx.execute("DELETE FROM linodes WHERE id = ?", {id});
        return;
    }
    auto linode = find(tx, id);
    if (!linode) return;

    if (action == "disk_create" || action == "disk_duplicate") {
        tx.execute("UPDATE disks SET status = 'ready', updated = ? WHERE id = ?",
                   {now_utc(), number(p, "disk_id")});
    } else if (action == "disk_resize") {
        tx.execute("UPDATE disks SET status = 'ready', size = ?, updated = ? WHERE id = ?",
                   {number(p, "size"), now_utc(), number(p, "disk_id")});
    } else if (action == "disk_delete") {
        remove_disk(tx, number(p, "disk_id"));
    } else if (action == "linode_resize" || action == "linode_mutate") {
        if (auto type = find_type(tx, text(p, "new_type"))) {
            linode->type = text(p, "new_type");
            linode->settings["specs"] = specs_of(*type);
        }
        if (auto disk = number(p, "resize_disk_id"))
            tx.execute("UPDATE disks SET size = ?, updated = ? WHERE id = ?",
                       {number(p, "resize_disk_size"), now_utc(), disk});
    } else if (action == "linode_migrate") {
        const std::string region = text(p, "new_region", linode->region);
        linode->region = region;
        tx.execute("UPDATE ips SET region = ? WHERE linode_id = ?", {region, id});
    } else if (action == "linode_clone") {
        if (auto target = number(p, "target_id")) {
            disks_ready(tx, target);
            set_status(tx, target, "offline");
        }
    } else if (action == "linode_create" || action == "linode_rebuild") {
        disks_ready(tx, id);
    }
    linode->status = text(p, "final_status", linode->status);
    save(tx, *linode);
}

void abandon(store::Transaction& tx, const jobs::Job& job) {
    if (!job.linode_id) return;
    const auto& p = job.payload;
    if (job.action == "linode_delete") {
        // A Linode whose machine could not be destroyed is still gone from the account.
        tx.execute("DELETE FROM linodes WHERE id = ?", {*job.linode_id});
        return;
    }
    if (auto disk = number(p, "disk_id")) {
        if (job.action == "disk_create" || job.action == "disk_duplicate")
            tx.execute("DELETE FROM disks WHERE id = ?", {disk});
        else
            tx.execute("UPDATE disks SET status = 'ready' WHERE id = ?", {disk});
    }
    if (auto target = number(p, "target_id")) set_status(tx, target, "offline");
    set_status(tx, *job.linode_id, text(p, "fallback_status", "offline"));
}

}  // namespace linnet::linodes
