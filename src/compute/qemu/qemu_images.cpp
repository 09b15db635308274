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

// The backup job's entry in query-jobs, or nothing when QMP does not answer.
std::optional<json::object> job_state(const fs::path& socket, const std::string& job) {
    const auto jobs = qmp(socket, "query-jobs");
    if (!jobs || !jobs->is_array()) return std::nullopt;
    for (const auto& j : jobs->as_array())
        if (j.is_object() && j.as_object().if_contains("id") &&
            j.as_object().at("id") == job.c_str())
            return j.as_object();
    return json::object{};  // QMP answered and the job is not there
}

// A point-in-time copy of a disk the VM writes to: QEMU copies what the disk held when the
// backup began, whatever the guest writes meanwhile. The job is kept until it is read how it
// ended (auto-dismiss off): a job that failed, was cancelled or vanished throws, as does one that
// runs past the deadline (it is cancelled). False only when the VM has no such drive (a disk
// that is not attached to it, which nobody writes: its file is copied).
bool backup(const fs::path& socket, const std::string& drive, const fs::path& target) {
    const std::string job = "linnet-" + drive;
    std::string error;
    if (!qmp(socket, "drive-backup",
             json::object{{"job-id", job},
                          {"device", drive},
                          {"target", target.string()},
                          {"sync", "full"},
                          {"format", "raw"},
                          {"mode", "absolute-paths"},
                          {"auto-dismiss", false}},
             &error)) {
        if (error.find("Cannot find device") != std::string::npos) {
            spdlog::info("{} is not attached to the running VM: copying its file", drive);
            return false;
        }
        throw std::runtime_error("drive-backup of " + drive + " could not start: " + error);
    }
    const auto deadline = std::chrono::steady_clock::now() + kBackupTimeout;
    int unanswered = 0;
    for (;;) {
        const auto state = job_state(socket, job);
        if (!state) {
            // The VM stopped, or QMP is busy: a few tries, then the copy is not trusted.
            if (++unanswered > 25)
                throw std::runtime_error("the VM stopped answering during the backup of " + drive);
        } else if (state->empty()) {
            throw std::runtime_error("the backup job of " + drive + " vanished");
        } else {
            unanswered = 0;
            if (state->at("status") == "concluded") {
                const auto* failure = state->if_contains("error");
                qmp(socket, "job-dismiss", json::object{{"id", job}});
                if (failure && failure->is_string())
                    throw std::runtime_error("the backup of " + drive +
                                             " failed: " + std::string(failure->as_string()));
                return true;
            }
        }
        if (std::chrono::steady_clock::now() > deadline) {
            qmp(socket, "block-job-cancel", json::object{{"device", job}, {"force", true}});
            std::this_thread::sleep_for(std::chrono::seconds(1));
            qmp(socket, "job-dismiss", json::object{{"id", job}});
            throw std::runtime_error("the backup of " + drive + " did not finish in time");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

}  // namespace

void copy_point_in_time(const fs::path& disk, const fs::path& target,
                        const std::optional<fs::path>& qmp_socket, const std::string& drive) {
    fs::remove(target);
    try {
        if (!(qmp_socket && backup(*qmp_socket, drive, target)))
            run_checked({"cp", "--sparse=always", disk.string(), target.string()});
    } catch (...) {
        std::error_code ignored;
        fs::remove(target, ignored);
        throw;
    }
    punch_unwritten(target);
}

fs::path Folders::image(const std::string& id) const {
    return (id.rfind("private/", 0) == 0 ? shared : data) / "images" / id;
}

fs::path kernel_folder(const Folders& folders, const std::string& image) {
    const fs::path own = folders.image(image);
    if (fs::exists(own / "vmlinuz") && fs::exists(own / "initrd.img")) return own;
    return folders.image("linode/debian12");
}

void capture(const Folders& folders, const std::string& image, const fs::path& disk,
             const std::optional<std::string>& source_image,
             const std::optional<fs::path>& qmp_socket, const std::string& drive) {
    if (image.rfind("private/", 0) != 0) throw std::runtime_error("not a private image: " + image);
    const fs::path dir = folders.image(image);
    fs::create_directories(dir);
    const fs::path tmp = dir / "rootfs.raw.tmp";
    copy_point_in_time(disk, tmp, qmp_socket, drive);
    if (source_image) {
        const fs::path kernel = kernel_folder(folders, *source_image);
        for (const char* file : {"vmlinuz", "initrd.img"})
            if (fs::exists(kernel / file))
                fs::copy_file(kernel / file, dir / file, fs::copy_options::overwrite_existing);
    }
    fs::rename(tmp, dir / "rootfs.raw");
}

}  // namespace linnet::compute::qemu_images
