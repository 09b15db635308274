// Images on the QEMU driver: an image is a folder images/<id>/ holding rootfs.raw (the ext
// filesystem a Linode's disk is made from) and the kernel and initrd it boots with; Linnet's own
// images are built in each host's data folder, private ones live in the shared folder that every
// host reads. A capture
// copies a Linode's disk there: a point-in-time copy through QMP drive-backup when the running
// VM uses the disk, else a copy of its file; either way sparse.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace linnet::compute::qemu_images {

// Where a host keeps images: its data folder, and the folder shared by every host.
struct Folders {
    std::filesystem::path data;
    std::filesystem::path shared;
    // The folder of the image `id` (linode/debian12, private/7).
    std::filesystem::path image(const std::string& id) const;
};

// The folder of the image the VM of a disk made from `image` boots its kernel from: the image's
// own when it has one, else linode/debian12's (an uploaded disk brings no kernel; Linode boots
// such disks with a kernel of its own too).
std::filesystem::path kernel_folder(const Folders& folders, const std::string& image);

// Copies `disk` to `target` as it is now: through QMP drive-backup when a VM runs with it
// (`qmp_socket` and its drive name `drive`), else by copying the file; sparse either way.
void copy_point_in_time(const std::filesystem::path& disk, const std::filesystem::path& target,
                        const std::optional<std::filesystem::path>& qmp_socket,
                        const std::string& drive);

// Copies `disk` into the image `image`, with the kernel of `source_image` when it has one.
// `qmp_socket` is the running VM's, `drive` its name for the disk; nullopt when no VM runs.
void capture(const Folders& folders, const std::string& image, const std::filesystem::path& disk,
             const std::optional<std::string>& source_image,
             const std::optional<std::filesystem::path>& qmp_socket, const std::string& drive);

// QEMU's backup writes the zeros of a sparse disk as zeroed ranges, which the filesystem keeps
// as allocated (unwritten) extents: punches them out again, so that the file takes what its data
// takes.
void punch_unwritten(const std::filesystem::path& file);

}  // namespace linnet::compute::qemu_images
