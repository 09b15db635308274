// Block Storage Volumes on the QEMU driver: each volume is a raw file of its own under
// SHARED/volumes/, given to a Linode as a SCSI disk on a virtio-scsi controller (vendor "Linode",
// product "Volume", device id the label), which the guest's udev names
// /dev/disk/by-id/scsi-0Linode_Volume_<label>, as on Linode. A running Linode takes and gives
// them back through QMP (hot-plug); a booting one gets those of its config on the command line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "compute/driver.hpp"

namespace linnet::compute::qemu_volumes {

std::filesystem::path path(const std::filesystem::path& shared, std::int64_t volume_id);

// Makes the volume's file (sparse) of its size; refuses an encrypted one by name.
void create(const std::filesystem::path& shared, const VolumeSpec& volume);
// Grows the file to the volume's size.
void grow(const std::filesystem::path& shared, const VolumeSpec& volume);
// Copies the source volume's file into the volume's.
void copy(const std::filesystem::path& shared, const VolumeSpec& volume);
void remove(const std::filesystem::path& shared, const VolumeSpec& volume);

// The controller every VM gets, and the arguments that give it a volume at boot.
std::vector<std::string> controller_args();
std::vector<std::string> boot_args(const std::filesystem::path& shared, const VolumeSpec& volume);

// A running VM (its QMP socket) takes the volume, gives it back, or sees its new size;
// std::runtime_error with QEMU's reason when it cannot.
void plug(const std::filesystem::path& qmp_socket, const std::filesystem::path& shared,
          const VolumeSpec& volume);
void unplug(const std::filesystem::path& qmp_socket, const VolumeSpec& volume);
void resized(const std::filesystem::path& qmp_socket, const VolumeSpec& volume);

}  // namespace linnet::compute::qemu_volumes
