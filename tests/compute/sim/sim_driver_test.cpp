// The sim driver: at scale 1 each operation takes what Linode's finished events report, and the
// scale multiplies every duration.
#include <gtest/gtest.h>

#include "compute/driver.hpp"

namespace linnet::compute {
namespace {

using std::chrono::milliseconds;

Machine with_image() {
    Machine m;
    m.disks = {{1, 25000, "ext4", std::string("linode/debian12")}, {2, 512, "swap", std::nullopt}};
    return m;
}

TEST(SimDriver, CreatesAndBootsTakeWhatLinodesEventsReport) {
    auto sim = make_sim_driver(1.0);
    // A create that lays down an image and then boots: 47 s, and its boot ends at 67 s.
    EXPECT_EQ(sim->perform(Operation::create_disks, with_image()), milliseconds(47'000));
    EXPECT_EQ(sim->perform(Operation::boot, with_image()), milliseconds(20'000));
    // An empty Linode (no image) is made in seconds.
    Machine empty;
    empty.disks = {{1, 25000, "raw", std::nullopt}};
    EXPECT_EQ(sim->perform(Operation::create_disks, empty), milliseconds(5'000));
    EXPECT_EQ(sim->perform(Operation::shutdown, empty), milliseconds(28'000));
    EXPECT_EQ(sim->perform(Operation::clone, empty), milliseconds(110'000));
    EXPECT_EQ(sim->perform(Operation::create_disk, empty), milliseconds(17'000));
    EXPECT_EQ(sim->perform(Operation::delete_disk, empty), milliseconds(10'000));
    // The disks are all of a machine it reads.
    EXPECT_EQ(sim->machine_detail(), MachineDetail::disks);
}

TEST(SimDriver, EveryOperationLastsLongEnoughForAPollerToSeeIt) {
    auto sim = make_sim_driver(1.0);
    for (auto op : {Operation::create_disks, Operation::boot, Operation::shutdown,
                    Operation::reboot, Operation::rebuild, Operation::resize, Operation::migrate,
                    Operation::clone, Operation::rescue, Operation::set_password,
                    Operation::create_disk, Operation::resize_disk, Operation::clone_disk,
                    Operation::delete_disk, Operation::destroy})
        EXPECT_GE(sim->perform(op, with_image()), milliseconds(5'000)) << operation_name(op);
    // A status that a poller caches for 15 s is still there when it looks again.
    EXPECT_GT(sim->perform(Operation::resize, with_image()), milliseconds(15'000));
    EXPECT_GT(sim->perform(Operation::reboot, with_image()), milliseconds(15'000));
}

TEST(SimDriver, ScaleMultipliesEveryDuration) {
    auto tenth = make_sim_driver(0.1);
    EXPECT_EQ(tenth->perform(Operation::create_disks, with_image()), milliseconds(4'700));
    EXPECT_EQ(tenth->perform(Operation::resize, with_image()), milliseconds(12'000));
    auto instant = make_sim_driver(0);
    EXPECT_EQ(instant->perform(Operation::clone, with_image()), milliseconds(0));
    EXPECT_EQ(make_sim_driver(-1)->perform(Operation::boot, with_image()), milliseconds(0));
}

}  // namespace
}  // namespace linnet::compute
