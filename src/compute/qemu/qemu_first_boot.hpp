// What a new root disk meets at the Linode's first boot on the QEMU driver:
// - cloud-init's NoCloud seed (/var/lib/cloud/seed/nocloud): meta-data with an instance id of
//   this deployment and the label as host name, and the user data, decoded (empty without);
// - the network of the metadata interface (the second NIC, MAC kMetadataMac): 169.254.169.1/24,
//   no gateway, so that 169.254.169.254 is reached on it;
// - a StackScript, written to /root/StackScript with its variables in
//   /etc/linnet/stackscript.env, and a systemd unit of the guest (linnet-stackscript.service)
//   that runs it once, after SSH is up, as root, its output kept in /root/stackscript.log, as on
//   Linode.
#pragma once

#include <filesystem>

#include "compute/driver.hpp"

namespace linnet::compute::qemu_first_boot {

inline constexpr const char* kMetadataMac = "52:54:00:a9:fe:01";

// Writes the seed, the metadata interface's network and the StackScript (when there is one)
// into the ext filesystem of `disk`.
// `work` is a scratch folder of the Linode's, removed afterwards.
void install(const Machine& machine, const std::filesystem::path& disk,
             const std::filesystem::path& work);

}  // namespace linnet::compute::qemu_first_boot
