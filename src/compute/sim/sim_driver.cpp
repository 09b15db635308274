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
    }
    return "unknown";
}

namespace {

// Seconds each operation takes at scale 1: long enough for a poller that looks every few
// seconds to see the status it causes.
double realistic_seconds(Operation op) {
    switch (op) {
        case Operation::create_disks:
            return 6;
        case Operation::boot:
            return 5;
        case Operation::shutdown:
            return 4;
        case Operation::reboot:
            return 6;
        case Operation::rebuild:
            return 8;
        case Operation::resize:
            return 10;
        case Operation::migrate:
            return 10;
        case Operation::clone:
            return 8;
        case Operation::rescue:
            return 5;
        case Operation::set_password:
            return 3;
        case Operation::create_disk:
            return 4;
        case Operation::resize_disk:
            return 5;
        case Operation::clone_disk:
            return 5;
        case Operation::delete_disk:
            return 3;
        case Operation::destroy:
            return 3;
    }
    return 1;
}

class SimDriver : public Driver {
  public:
    explicit SimDriver(double scale) : scale_(scale < 0 ? 0 : scale) {}
    std::string name() const override { return "sim"; }
    std::chrono::milliseconds perform(Operation op, const Machine&) override {
        return std::chrono::milliseconds(
            static_cast<std::int64_t>(std::llround(realistic_seconds(op) * 1000 * scale_)));
    }

  private:
    double scale_;
};

}  // namespace

std::unique_ptr<Driver> make_sim_driver(double scale) {
    return std::make_unique<SimDriver>(scale);
}

}  // namespace linnet::compute
