// An account's own images (private/N): captured from a Linode's disk or uploaded as a gzipped
// raw disk; labelled, tagged, kept in regions (replicated on request) and deleted. Each change
// records its event. The files of an image live in SHARED/images/private/N/: rootfs.raw (the disk
// a Linode is deployed from) and, for a captured one, the kernel of the image it came from.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "images/image_repository.hpp"
#include "jobs/events.hpp"
#include "store/database.hpp"

namespace linnet::images {

// Who asked, for events and created_by.
struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

struct NewImage {
    std::optional<std::string> label;
    std::string description;
    bool cloud_init = false;
    std::vector<std::string> tags;
};

// Why `label` cannot name an image (1-50 characters, no control characters), or nothing.
std::optional<std::string> label_problem(const std::string& label);

// A disk being captured: the image is `creating` with the disk's size and no region until the
// disk_imagize job (the caller starts it) finishes.
PrivateImage begin_capture(store::Transaction& tx, const Actor& actor, const NewImage& request,
                           const std::string& disk_label, std::int64_t disk_size,
                           const std::optional<std::string>& source_image);
// The capture finished in `region`, or failed (the image goes).
void capture_done(store::Transaction& tx, const std::string& image_id, const std::string& region);
void capture_failed(store::Transaction& tx, const std::string& image_id);

// An upload begins: the image is `pending_upload` in `region`; answers it and the secret its
// upload URL carries (kept only as a hash, valid for a day).
struct Upload {
    PrivateImage image;
    std::string secret;
};
Upload begin_upload(store::Transaction& tx, const Actor& actor, const NewImage& request,
                    const std::string& region);
// The upload unpacked into `bytes` of disk: available in `region`, the URL spent.
void upload_done(store::Transaction& tx, PrivateImage& image, const std::string& region,
                 std::int64_t bytes);
// The upload was refused: the image stays pending_upload; a failed image_upload event says why.
void upload_failed(store::Transaction& tx, const PrivateImage& image, const std::string& reason);

// Label, description, tags.
void update(store::Transaction& tx, const Actor& actor, PrivateImage& image);
void remove(store::Transaction& tx, const Actor& actor, const PrivateImage& image);
// The image is to be kept in exactly `regions`: new ones are `pending replication` (an
// image_replicate job makes them available), dropped ones go.
void replicate(store::Transaction& tx, const Actor& actor, PrivateImage& image,
               const std::vector<std::string>& regions);
// The replication job is done: every pending region is available.
void replicated(store::Transaction& tx, const std::string& image_id);

jobs::Entity image_entity(const PrivateImage& image);

// SHARED/images/private/N of an image id "private/N".
std::filesystem::path files_of(const std::filesystem::path& shared, const std::string& image_id);

}  // namespace linnet::images
