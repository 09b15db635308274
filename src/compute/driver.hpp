// The compute driver: what makes a Linode's machine exist. Jobs ask it to perform one
// operation at a time; it answers how long that step takes. `sim` runs no processes; `qemu` runs
// real VMs. The API layer never sees a driver.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace linnet::compute {

enum class Operation {
    create_disks,  // lay down the disks of a new Linode
    boot,
    shutdown,
    reboot,
    rebuild,  // re-image the boot disk
    resize,
    migrate,
    clone,  // copy disks to another Linode
    rescue,
    set_password,
    create_disk,
    resize_disk,
    clone_disk,
    delete_disk,
    destroy,  // release everything of a Linode
};

const char* operation_name(Operation op);

struct Target {
    std::int64_t linode_id = 0;
    std::int64_t disk_id = 0;  // for disk operations
};

class Driver {
  public:
    virtual ~Driver() = default;
    virtual std::string name() const = 0;
    // Performs the operation; answers how long the step lasts before the job goes on. Throws
    // std::runtime_error when the operation fails (the job then fails with that message).
    virtual std::chrono::milliseconds perform(Operation op, const Target& target) = 0;
};

// The simulated driver; scale multiplies its realistic durations (1 = realistic, 0 = instant).
std::unique_ptr<Driver> make_sim_driver(double scale);

}  // namespace linnet::compute
