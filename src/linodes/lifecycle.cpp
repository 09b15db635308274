// The transition table and the job plans.
#include "linodes/lifecycle.hpp"

#include <stdexcept>

#include "core/error.hpp"
#include "jobs/job_repository.hpp"

namespace linnet::linodes {

namespace {

using compute::Operation;

const std::vector<Action>& actions() {
    static const std::vector<Action> table = {
        {"linode_create", {}, "provisioning"},
        {"linode_boot", {"offline"}, "booting"},
        {"linode_reboot", {"running", "offline"}, "rebooting"},
        {"linode_shutdown", {"running"}, "shutting_down"},
        {"linode_rebuild", {"running", "offline"}, "rebuilding"},
        {"linode_resize", {"running", "offline"}, "resizing"},
        {"linode_mutate", {"running", "offline"}, "resizing"},
        {"linode_migrate", {"running", "offline"}, "migrating"},
        {"linode_clone", {"running", "offline"}, "cloning"},
        {"linode_rescue", {"running", "offline"}, "booting"},
        {"password_reset", {"offline"}, ""},
        {"linode_delete",
         {"running", "offline", "provisioning", "booting", "rebooting", "shutting_down",
          "rebuilding", "resizing", "migrating", "cloning"},
         "deleting"},
        {"disk_create", {"running", "offline"}, ""},
        {"disk_resize", {"offline"}, ""},
        {"disk_duplicate", {"running", "offline"}, ""},
        {"disk_delete", {"running", "offline"}, ""},
        {"disk_imagize", {"running", "offline"}, ""},
        {"linode_snapshot", {"running", "offline"}, ""},
        {"backups_restore", {"running", "offline"}, "restoring"},
    };
    return table;
}

bool booted(const boost::json::object& payload) {
    const auto* v = payload.if_contains("booted");
    return v == nullptr || (v->is_bool() && v->as_bool());
}

}  // namespace

const Action& action(std::string_view name) {
    for (const auto& a : actions())
        if (a.name == name) return a;
    throw std::out_of_range("unknown action " + std::string(name));
}

bool is_settled(std::string_view status) {
    return status == "running" || status == "offline";
}

void check_can_start(store::Transaction& tx, std::int64_t linode_id, std::string_view status,
                     std::string_view name) {
    const Action& a = action(name);
    // Deleting is allowed while other jobs run (they are cancelled), except a clone.
    const bool deleting = name == "linode_delete";
    jobs::JobRepository jobs(tx);
    const bool busy =
        deleting ? jobs.has_active(linode_id, "linode_clone") : jobs.has_active(linode_id);
    if (busy) throw errors::bad_request("Linode busy.");
    if (status == "deleting") throw errors::bad_request("Linode busy.");
    for (auto allowed : a.allowed_from)
        if (allowed == status) return;
    if (!is_settled(status)) throw errors::bad_request("Linode busy.");
    throw errors::bad_request(status == "running" ? "Linode must be offline for this action."
                                                  : "Linode must be running for this action.");
}

std::vector<Step> plan(std::string_view name, const boost::json::object& payload) {
    const bool was_running = [&] {
        const auto* v = payload.if_contains("was_running");
        return v && v->is_bool() && v->as_bool();
    }();
    std::vector<Step> steps;
    if (name == "linode_create") {
        steps.push_back({"provisioning", Operation::create_disks, booted(payload) ? 50 : 90});
        if (booted(payload)) steps.push_back({"booting", Operation::boot, 90});
    } else if (name == "linode_boot") {
        steps.push_back({"booting", Operation::boot, 90});
    } else if (name == "linode_reboot") {
        steps.push_back({"rebooting", Operation::reboot, 90});
    } else if (name == "linode_shutdown") {
        steps.push_back({"shutting_down", Operation::shutdown, 90});
    } else if (name == "linode_rebuild") {
        if (was_running) steps.push_back({"rebuilding", Operation::shutdown, 20});
        steps.push_back({"rebuilding", Operation::rebuild, 70});
        if (booted(payload)) steps.push_back({"booting", Operation::boot, 90});
    } else if (name == "linode_resize" || name == "linode_mutate") {
        if (was_running) steps.push_back({"resizing", Operation::shutdown, 20});
        steps.push_back({"resizing", Operation::resize, 70});
        if (was_running) steps.push_back({"booting", Operation::boot, 90});
    } else if (name == "linode_migrate") {
        if (was_running) steps.push_back({"migrating", Operation::shutdown, 20});
        steps.push_back({"migrating", Operation::migrate, 70});
        if (was_running) steps.push_back({"booting", Operation::boot, 90});
    } else if (name == "linode_clone") {
        steps.push_back({"cloning", Operation::clone, 90});
    } else if (name == "linode_rescue") {
        if (was_running) steps.push_back({"booting", Operation::shutdown, 30});
        steps.push_back({"booting", Operation::rescue, 90});
    } else if (name == "password_reset") {
        steps.push_back({"", Operation::set_password, 90});
    } else if (name == "linode_delete") {
        steps.push_back({"deleting", Operation::destroy, 90});
    } else if (name == "disk_create") {
        steps.push_back({"", Operation::create_disk, 90});
    } else if (name == "disk_resize") {
        steps.push_back({"", Operation::resize_disk, 90});
    } else if (name == "disk_duplicate") {
        steps.push_back({"", Operation::clone_disk, 90});
    } else if (name == "disk_delete") {
        steps.push_back({"", Operation::delete_disk, 90});
    } else if (name == "disk_imagize") {
        steps.push_back({"", Operation::image_capture, 90});
    } else if (name == "linode_snapshot") {
        steps.push_back({"", Operation::backup_take, 90});
    } else if (name == "backups_restore") {
        steps.push_back({"restoring", Operation::backup_restore, 90});
    } else {
        throw std::out_of_range("no plan for " + std::string(name));
    }
    return steps;
}

}  // namespace linnet::linodes
