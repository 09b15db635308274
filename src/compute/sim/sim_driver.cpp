// The simulated driver: no processes, just the time each operation takes on a real host, so
// that pollers see every transient status. Durations are scaled by LINNET_SIM_SCALE.
#include <cmath>

#include "compute/driver.hpp"

namespace linnet::compute {

const char* operation_name(Operation op) {
    switch (op) {
        case Operation::create_disks:
            return "create_disks";
        case Operation::boot:
            return "boot";
        case Operation::shutdown:
            return "shutdown";
        case Operation::reboot:
            return "reboot";
        case Operation::rebuild:
            return "rebuild";
        case Operation::resize:
            return "resize";
        case Operation::migrate:
            return "migrate";
        case Operation::clone:
            return "clone";
        case Operation::rescue:
            return "rescue";
        case Operation::set_password:
            return "set_password";
        case Operation::create_disk:
            return "create_disk";
        case Operation::resize_disk:
            return "resize_disk";
        case Operation::clone_disk:
            return "clone_disk";
        case Operation::delete_disk:
            return "delete_disk";
        case Operation::destroy:
            return "destroy";
        case Operation::volume_create:
            return "volume_create";
        case Operation::volume_attach:
            return "volume_attach";
        case Operation::volume_detach:
            return "volume_detach";
        case Operation::volume_resize:
            return "volume_resize";
        case Operation::volume_clone:
            return "volume_clone";
        case Operation::volume_delete:
            return "volume_delete";
        case Operation::image_capture:
            return "image_capture";
        case Operation::image_replicate:
            return "image_replicate";
        case Operation::backup_take:
            return "backup_take";
        case Operation::backup_restore:
            return "backup_restore";
    }
    return "unknown";
}

namespace {

// Seconds each operation takes at scale 1, after the durations that Linode's finished events
// report: a create lays down an image in 41-51 s (an empty Linode in 3-8 s), a boot that a create
// scheduled finishes 67 s after it was created, a shutdown takes 28 s, a clone 110 s, a new disk
// 17 s, a deleted one 7-11 s. Operations no recorded event times are scaled alike: a resize or a
// migration copies the disks as a clone does, a rebuild lays down an image as a create does.
double realistic_seconds(Operation op, const Machine& machine) {
    switch (op) {
        case Operation::create_disks:
            for (const auto& disk : machine.disks)
                if (disk.image) return 47;
            return 5;
        case Operation::boot:
            return 20;
        case Operation::shutdown:
            return 28;
        case Operation::reboot:
            return 45;
        case Operation::rebuild:
            return 45;
        case Operation::resize:
            return 120;
        case Operation::migrate:
            return 120;
        case Operation::clone:
            return 110;
        case Operation::rescue:
            return 20;
        case Operation::set_password:
            return 10;
        case Operation::create_disk:
            return 17;
        case Operation::resize_disk:
            return 20;
        case Operation::clone_disk:
            return 45;
        case Operation::delete_disk:
            return 10;
        case Operation::destroy:
            return 10;
        // Volumes: a new one is usable within half a minute, attaching and detaching take
        // seconds, a resize or a clone copies or grows the backing.
        case Operation::volume_create:
            return 30;
        case Operation::volume_attach:
        case Operation::volume_detach:
            return 10;
        case Operation::volume_resize:
            return 30;
        case Operation::volume_clone:
            return 60;
        case Operation::volume_delete:
            return 10;
        // Images: a capture's event finishes in about 47 s; a copy to another region takes
        // minutes.
        case Operation::image_capture:
            return 47;
        case Operation::image_replicate:
            return 120;
        // Backups: a snapshot or a restore copies the disks, as a clone does.
        case Operation::backup_take:
        case Operation::backup_restore:
            return 110;
    }
    return 1;
}

class SimDriver : public Driver {
  public:
    explicit SimDriver(double scale) : scale_(scale < 0 ? 0 : scale) {}
    std::string name() const override { return "sim"; }
    std::chrono::milliseconds perform(Operation op, const Machine& machine) override {
        return std::chrono::milliseconds(static_cast<std::int64_t>(
            std::llround(realistic_seconds(op, machine) * 1000 * scale_)));
    }
    bool performs_in_place() const override { return true; }
    // An operation's time follows whether its disks carry an image, and nothing else.
    MachineDetail machine_detail() const override { return MachineDetail::disks; }

  private:
    double scale_;
};

}  // namespace

std::unique_ptr<Driver> make_sim_driver(double scale) {
    return std::make_unique<SimDriver>(scale);
}

}  // namespace linnet::compute
