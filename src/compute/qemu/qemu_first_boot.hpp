// What a new root disk runs at the Linode's first boot on the QEMU driver: a StackScript is
// written to /root/StackScript with its variables in /etc/linnet/stackscript.env, and a systemd
// unit of the guest (linnet-stackscript.service) runs it once, after SSH is up, as root, its
// output kept in /root/stackscript.log, as on Linode.
#pragma once

#include <filesystem>

#include "compute/driver.hpp"

namespace linnet::compute::qemu_first_boot {

// Writes the Linode's StackScript into the ext filesystem of `disk` (nothing without one).
// `work` is a scratch folder of the Linode's, removed afterwards.
void install(const Machine& machine, const std::filesystem::path& disk,
             const std::filesystem::path& work);

}  // namespace linnet::compute::qemu_first_boot
