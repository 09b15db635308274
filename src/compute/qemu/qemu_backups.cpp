// Taking and restoring backups on the QEMU driver.
#include "compute/qemu/qemu_backups.hpp"

#include <algorithm>
#include <stdexcept>

#include "compute/process.hpp"
#include "compute/qemu/qemu_images.hpp"

namespace linnet::compute::qemu_backups {

namespace fs = std::filesystem;

namespace {

fs::path linode_folder(const fs::path& shared, std::int64_t linode) {
    return shared / "backups" / std::to_string(linode);
}

fs::path disk_file(const fs::path& backup, std::int64_t disk) {
    return backup / ("disk-" + std::to_string(disk) + ".raw");
}

}  // namespace

void take(const fs::path& shared, const Machine& m, const DiskPath& disk_path,
          const std::optional<fs::path>& qmp_socket) {
    const fs::path folder = linode_folder(shared, m.linode_id);
    const fs::path backup = folder / std::to_string(m.backup_id);
    const fs::path tmp = folder / (std::to_string(m.backup_id) + ".tmp");
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    for (const auto& d : m.disks) {
        const fs::path source = disk_path(m.linode_id, d.id);
        if (!fs::exists(source))
            throw std::runtime_error("disk " + std::to_string(d.id) + " is missing");
        qemu_images::copy_point_in_time(source, disk_file(tmp, d.id), qmp_socket,
                                        "disk" + std::to_string(d.id));
    }
    fs::remove_all(backup);
    fs::rename(tmp, backup);
    // The backups the store no longer keeps (an older snapshot, automatic ones past three).
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        const bool kept = name == std::to_string(m.backup_id) ||
                          std::any_of(m.backups.begin(), m.backups.end(),
                                      [&](std::int64_t id) { return name == std::to_string(id); });
        if (!kept && name.find(".tmp") == std::string::npos) fs::remove_all(entry.path());
    }
}

void restore(const fs::path& shared, const Machine& m, const DiskPath& disk_path) {
    const fs::path backup = linode_folder(shared, m.backup_linode) / std::to_string(m.backup_id);
    if (!fs::exists(backup))
        throw std::runtime_error("backup " + std::to_string(m.backup_id) + " has no files here");
    for (const auto& [from, to] : m.disk_map) {
        const fs::path target = disk_path(m.linode_id, to);
        fs::create_directories(target.parent_path());
        const fs::path tmp = target.string() + ".tmp";
        run_checked({"cp", "--sparse=always", disk_file(backup, from).string(), tmp.string()});
        fs::rename(tmp, target);
    }
}

void remove_all(const fs::path& shared, std::int64_t linode) {
    std::error_code ignored;
    fs::remove_all(linode_folder(shared, linode), ignored);
}

}  // namespace linnet::compute::qemu_backups
