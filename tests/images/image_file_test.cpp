// Unpacking uploaded disk images: gzip in, a sparse raw file out, or a reason why not.
#include "images/image_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace linnet::images {
namespace {

namespace fs = std::filesystem;

class ImageFileTest : public ::testing::Test {
  protected:
    ImageFileTest() {
        dir_ = fs::temp_directory_path() /
               ("linnet-image-file-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    ~ImageFileTest() override { fs::remove_all(dir_); }

    fs::path write(const std::string& name, const std::string& bytes) {
        std::ofstream(dir_ / name, std::ios::binary) << bytes;
        return dir_ / name;
    }
    fs::path gzip(const std::string& name, const std::string& bytes) {
        const fs::path raw = write(name, bytes);
        const std::string cmd = "gzip -f -n " + raw.string();
        EXPECT_EQ(std::system(cmd.c_str()), 0);
        return fs::path(raw.string() + ".gz");
    }
    static std::string read(const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    std::string unpack_error(const fs::path& from, std::int64_t max = 1 << 30) {
        try {
            unpack_gzip(from, dir_ / "out.raw", max);
        } catch (const ImageFileError& e) {
            EXPECT_FALSE(fs::exists(dir_ / "out.raw"));
            return e.what();
        }
        return "";
    }
    fs::path dir_;
};

// 8 MiB of disk: mostly zeros, with data at the start, the middle and the end.
std::string disk() {
    std::string bytes(8 << 20, '\0');
    bytes.replace(0, 5, "start");
    bytes.replace(4 << 20, 6, "middle");
    bytes.replace(bytes.size() - 3, 3, "end");
    return bytes;
}

TEST_F(ImageFileTest, UnpacksIntoASparseCopy) {
    const std::string bytes = disk();
    const fs::path packed = gzip("disk.img", bytes);
    EXPECT_EQ(unpack_gzip(packed, dir_ / "out.raw", 1 << 30), std::int64_t(bytes.size()));
    EXPECT_EQ(read(dir_ / "out.raw"), bytes);
    struct stat st {};
    ASSERT_EQ(::stat((dir_ / "out.raw").c_str(), &st), 0);
    EXPECT_LT(st.st_blocks * 512, 1 << 20);  // three 4 KiB blocks hold data, not 8 MiB
}

TEST_F(ImageFileTest, ConcatenatedMembersAreOneImage) {
    const std::string half(1 << 20, 'x');
    const fs::path a = gzip("a.img", half);
    const fs::path b = gzip("b.img", half);
    write("both.gz", read(a) + read(b));
    EXPECT_EQ(unpack_gzip(dir_ / "both.gz", dir_ / "out.raw", 1 << 30), 2 << 20);
    EXPECT_EQ(read(dir_ / "out.raw"), half + half);
}

TEST_F(ImageFileTest, RefusesWhatIsNotAnImage) {
    EXPECT_NE(unpack_error(write("plain.img", disk())).find("not gzip"), std::string::npos);
    const std::string packed = read(gzip("disk.img", disk()));
    EXPECT_NE(unpack_error(write("cut.gz", packed.substr(0, packed.size() / 2))).find("cut short"),
              std::string::npos);
    std::string corrupt = packed;
    for (std::size_t i = 20; i < 60 && i < corrupt.size(); ++i) corrupt[i] ^= 0x5a;
    EXPECT_NE(unpack_error(write("corrupt.gz", corrupt)), "");
    EXPECT_NE(unpack_error(gzip("disk2.img", disk()), 4 << 20).find("larger than"),
              std::string::npos);
    EXPECT_NE(unpack_error(gzip("odd.img", std::string(1000, 'a'))).find("512-byte"),
              std::string::npos);
    EXPECT_NE(unpack_error(gzip("empty.img", "")).find("empty"), std::string::npos);
}

TEST_F(ImageFileTest, KnowsAnExtFilesystem) {
    const fs::path fs_image = dir_ / "ext4.img";
    std::ofstream(fs_image, std::ios::binary).close();
    fs::resize_file(fs_image, 4 << 20);
    const std::string cmd = "mkfs.ext4 -q -F " + fs_image.string() + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    EXPECT_TRUE(is_ext_filesystem(fs_image));
    EXPECT_FALSE(is_ext_filesystem(write("zeros.img", std::string(8192, '\0'))));
    EXPECT_FALSE(is_ext_filesystem(dir_ / "missing.img"));
}

}  // namespace
}  // namespace linnet::images
