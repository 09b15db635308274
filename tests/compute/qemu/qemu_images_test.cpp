// Images on the QEMU driver: the kernel a private image boots with, and the zeroed ranges a
// backup leaves punched back into holes.
#include "compute/qemu/qemu_images.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace linnet::compute::qemu_images {
namespace {

namespace fs = std::filesystem;

class QemuImagesTest : public ::testing::Test {
  protected:
    QemuImagesTest()
        : dir_(fs::temp_directory_path() / ("linnet-qemu-images-" + std::to_string(::getpid()))) {
        fs::create_directories(dir_);
    }
    ~QemuImagesTest() override { fs::remove_all(dir_); }
    static std::int64_t allocated(const fs::path& file) {
        struct stat st {};
        ::stat(file.c_str(), &st);
        return static_cast<std::int64_t>(st.st_blocks) * 512;
    }
    fs::path dir_;
};

TEST_F(QemuImagesTest, ZeroedRangesBecomeHolesAndDataStays) {
    const fs::path file = dir_ / "backup.raw";
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    constexpr off_t kSize = 64 << 20;
    ASSERT_EQ(::ftruncate(fd, kSize), 0);
    // What QEMU's backup leaves for the zeros it copies: allocated, unwritten extents.
    ASSERT_EQ(::fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, kSize), 0);
    ASSERT_EQ(::pwrite(fd, "data", 4, 8 << 20), 4);
    ::fsync(fd);
    ::close(fd);
    ASSERT_GE(allocated(file), kSize);
    punch_unwritten(file);
    EXPECT_LT(allocated(file), 1 << 20);
    EXPECT_EQ(fs::file_size(file), std::uintmax_t(kSize));
    std::ifstream in(file, std::ios::binary);
    in.seekg(8 << 20);
    char got[4] = {};
    in.read(got, 4);
    EXPECT_EQ(std::string(got, 4), "data");
}

TEST_F(QemuImagesTest, PrivateImagesAreSharedAndAnImageWithoutAKernelBootsDebian12s) {
    const Folders folders{dir_ / "data", dir_ / "shared"};
    EXPECT_EQ(folders.image("private/7"), dir_ / "shared" / "images" / "private" / "7");
    EXPECT_EQ(folders.image("linode/debian12"), dir_ / "data" / "images" / "linode" / "debian12");
    const fs::path own = folders.image("private/7");
    fs::create_directories(own);
    EXPECT_EQ(kernel_folder(folders, "private/7"), folders.image("linode/debian12"));
    std::ofstream(own / "vmlinuz") << "k";
    std::ofstream(own / "initrd.img") << "i";
    EXPECT_EQ(kernel_folder(folders, "private/7"), own);
}

}  // namespace
}  // namespace linnet::compute::qemu_images
