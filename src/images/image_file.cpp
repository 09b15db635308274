// Unpacking a gzip-compressed disk image into a sparse file with zlib.
#include "images/image_file.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace linnet::images {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 1 << 20;
constexpr std::size_t kBlock = 4096;
constexpr std::int64_t kSector = 512;

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

bool all_zero(const unsigned char* p, std::size_t n) {
    static const std::array<unsigned char, kBlock> zeros{};
    return std::memcmp(p, zeros.data(), n) == 0;
}

// Writes `n` bytes at `offset`, skipping whole zero blocks (holes).
void write_sparse(int fd, const unsigned char* data, std::size_t n, std::int64_t offset) {
    for (std::size_t at = 0; at < n; at += kBlock) {
        const std::size_t len = std::min(kBlock, n - at);
        if (all_zero(data + at, len)) continue;
        std::size_t done = 0;
        while (done < len) {
            const ssize_t w =
                ::pwrite(fd, data + at + done, len - done, static_cast<off_t>(offset + at + done));
            if (w < 0) throw std::runtime_error(std::string("write failed: ") + strerror(errno));
            done += static_cast<std::size_t>(w);
        }
    }
}

std::int64_t unpack(int in, int out, std::int64_t max_bytes) {
    unsigned char magic[2] = {};
    if (::pread(in, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b)
        throw ImageFileError("The upload is not gzip-compressed (a .img.gz of a raw disk)");
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("zlib init failed");
    struct End {
        z_stream& z;
        ~End() { inflateEnd(&z); }
    } end{z};
    std::vector<unsigned char> input(kChunk), output(kChunk);
    std::int64_t total = 0;
    bool member_ended = false;
    for (;;) {
        const ssize_t got = ::read(in, input.data(), input.size());
        if (got < 0) throw std::runtime_error(std::string("read failed: ") + strerror(errno));
        if (got == 0) break;
        z.next_in = input.data();
        z.avail_in = static_cast<uInt>(got);
        while (z.avail_in > 0) {
            if (member_ended) {
                // Another gzip member follows (concatenated .gz files unpack as one).
                if (inflateReset(&z) != Z_OK) throw ImageFileError("The upload is corrupt");
                member_ended = false;
            }
            z.next_out = output.data();
            z.avail_out = static_cast<uInt>(output.size());
            const int rc = inflate(&z, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
                throw ImageFileError("The upload is corrupt: it does not unpack as gzip");
            const std::size_t produced = output.size() - z.avail_out;
            if (total + static_cast<std::int64_t>(produced) > max_bytes)
                throw ImageFileError("The image is larger than " +
                                     std::to_string(max_bytes / (1024 * 1024)) +
                                     " MB unpacked, the most an upload may hold");
            write_sparse(out, output.data(), produced, total);
            total += static_cast<std::int64_t>(produced);
            if (rc == Z_STREAM_END) member_ended = true;
            if (rc == Z_BUF_ERROR && produced == 0) break;
        }
    }
    if (!member_ended)
        throw ImageFileError("The upload is cut short: the gzip stream does not end");
    if (total == 0) throw ImageFileError("The image is empty");
    if (total % kSector != 0)
        throw ImageFileError("The image is " + std::to_string(total) +
                             " bytes, not whole 512-byte sectors: it is not a raw disk");
    if (::ftruncate(out, static_cast<off_t>(total)) != 0)
        throw std::runtime_error(std::string("truncate failed: ") + strerror(errno));
    if (::fsync(out) != 0)
        throw std::runtime_error(std::string("fsync failed: ") + strerror(errno));
    return total;
}

}  // namespace

std::int64_t unpack_gzip(const fs::path& from, const fs::path& to, std::int64_t max_bytes) {
    Fd in{::open(from.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0) throw std::runtime_error("cannot open " + from.string());
    Fd out{::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    if (out.fd < 0) throw std::runtime_error("cannot create " + to.string());
    try {
        return unpack(in.fd, out.fd, max_bytes);
    } catch (...) {
        std::error_code ignored;
        fs::remove(to, ignored);
        throw;
    }
}

bool is_ext_filesystem(const fs::path& file) {
    Fd fd{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
    unsigned char magic[2] = {};
    // The superblock begins 1024 bytes in; its magic number (0xEF53, little-endian) 56 further.
    return fd.fd >= 0 && ::pread(fd.fd, magic, 2, 1024 + 56) == 2 && magic[0] == 0x53 &&
           magic[1] == 0xEF;
}

}  // namespace linnet::images
