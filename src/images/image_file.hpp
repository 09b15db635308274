// The disk image an upload carries: a gzip-compressed raw disk, unpacked into the file an image
// is deployed from, checked on the way (gzip, intact, not too large, whole sectors).
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>

namespace linnet::images {

// Why an upload is not an image; its message is the reason the API gives.
class ImageFileError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Unpacks the gzip file `from` (one member or several) into `to`, leaving runs of zeros as holes
// (a mostly empty disk takes little room); answers its size in bytes. Throws ImageFileError when
// `from` is not gzip, is corrupt or cut short, unpacks to more than `max_bytes`, is empty or is
// not whole 512-byte sectors; `to` is then removed.
std::int64_t unpack_gzip(const std::filesystem::path& from, const std::filesystem::path& to,
                         std::int64_t max_bytes);

// Whether the file holds an ext2/3/4 filesystem (its superblock's magic number).
bool is_ext_filesystem(const std::filesystem::path& file);

}  // namespace linnet::images
