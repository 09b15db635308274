// Capturing disks into images on the QEMU driver.
#include "compute/qemu/qemu_images.hpp"

#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

#include "compute/process.hpp"
#include "compute/qemu/qmp.hpp"

namespace linnet::compute::qemu_images {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr auto kBackupTimeout = std::chrono::minutes(30);

}  // namespace

void punch_unwritten(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return;
    constexpr unsigned kExtents = 256;
    std::vector<char> buffer(sizeof(fiemap) + kExtents * sizeof(fiemap_extent));
    std::uint64_t start = 0;
    for (;;) {
        std::fill(buffer.begin(), buffer.end(), 0);
        auto* map = reinterpret_cast<fiemap*>(buffer.data());
        map->fm_start = start;
        map->fm_length = ~0ULL - start;
        map->fm_extent_count = kExtents;
        if (::ioctl(fd, FS_IOC_FIEMAP, map) != 0 || map->fm_mapped_extents == 0) break;
        bool last = false;
        for (unsigned i = 0; i < map->fm_mapped_extents; ++i) {
            const fiemap_extent& e = map->fm_extents[i];
            if (e.fe_flags & FIEMAP_EXTENT_UNWRITTEN)
                ::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                            static_cast<off_t>(e.fe_logical), static_cast<off_t>(e.fe_length));
            start = e.fe_logical + e.fe_length;
            last = last || (e.fe_flags & FIEMAP_EXTENT_LAST);
        }
        if (last) break;
    }
    ::close(fd);
}

namespace {

// Whether the VM still runs a block job on `drive`.
bool backup_running(const fs::path& socket, const std::string& drive) {
    const auto jobs = qmp(socket, "query-block-jobs");
    if (!jobs || !jobs->is_array()) return false;
    for (const auto& job : jobs->as_array()) {
        const auto* device = job.as_object().if_contains("device");
        if (device && device->is_string() && device->as_string() == drive) return true;
    }
    return false;
}

// A point-in-time copy of a disk the VM writes to: QEMU copies what the disk held when the
// backup began, whatever the guest writes meanwhile. False when the VM does not have the drive.
bool backup(const fs::path& socket, const std::string& drive, const fs::path& target) {
    std::string error;
    if (!qmp(socket, "drive-backup",
             json::object{{"device", drive},
                          {"target", target.string()},
                          {"sync", "full"},
                          {"format", "raw"},
                          {"mode", "absolute-paths"}},
             &error)) {
        spdlog::info("drive-backup of {} not taken ({}): copying its file", drive, error);
        return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + kBackupTimeout;
    while (backup_running(socket, drive)) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("the backup of " + drive + " did not finish");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return true;
}

}  // namespace

void copy_point_in_time(const fs::path& disk, const fs::path& target,
                        const std::optional<fs::path>& qmp_socket, const std::string& drive) {
    fs::remove(target);
    if (!(qmp_socket && backup(*qmp_socket, drive, target)))
        run_checked({"cp", "--sparse=always", disk.string(), target.string()});
    punch_unwritten(target);
}

fs::path kernel_folder(const fs::path& data, const std::string& image) {
    const fs::path own = data / "images" / image;
    if (fs::exists(own / "vmlinuz") && fs::exists(own / "initrd.img")) return own;
    return data / "images" / "linode" / "debian12";
}

void capture(const fs::path& data, const std::string& image, const fs::path& disk,
             const std::optional<std::string>& source_image,
             const std::optional<fs::path>& qmp_socket, const std::string& drive) {
    if (image.rfind("private/", 0) != 0) throw std::runtime_error("not a private image: " + image);
    const fs::path dir = data / "images" / image;
    fs::create_directories(dir);
    const fs::path tmp = dir / "rootfs.raw.tmp";
    copy_point_in_time(disk, tmp, qmp_socket, drive);
    if (source_image) {
        const fs::path kernel = kernel_folder(data, *source_image);
        for (const char* file : {"vmlinuz", "initrd.img"})
            if (fs::exists(kernel / file))
                fs::copy_file(kernel / file, dir / file, fs::copy_options::overwrite_existing);
    }
    fs::rename(tmp, dir / "rootfs.raw");
}

}  // namespace linnet::compute::qemu_images
