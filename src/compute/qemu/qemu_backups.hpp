// Backups on the QEMU driver: a backup is a folder SHARED/backups/<linode>/<backup>/ with a sparse
// copy of each of the Linode's disks (disk-<id>.raw), taken through QMP drive-backup while the
// Linode runs (each disk as it was when its copy began) or by copying the files while it is off.
// A restore writes them over the target Linode's new disks.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "compute/driver.hpp"

namespace linnet::compute::qemu_backups {

// Where a Linode's disk file is, and (when its VM runs) its QMP socket.
using DiskPath = std::function<std::filesystem::path(std::int64_t linode, std::int64_t disk)>;

// Copies the disks of `m` into backup m.backup_id, and removes the Linode's backup folders that
// are not among m.backups.
void take(const std::filesystem::path& shared, const Machine& m, const DiskPath& disk_path,
          const std::optional<std::filesystem::path>& qmp_socket);
// Writes backup m.backup_id of Linode m.backup_linode over the disks m.disk_map names.
void restore(const std::filesystem::path& shared, const Machine& m, const DiskPath& disk_path);
// Every backup of a Linode that is gone.
void remove_all(const std::filesystem::path& shared, std::int64_t linode);

}  // namespace linnet::compute::qemu_backups
