// Volume files of the QEMU driver, and the arguments that give a VM its volumes.
#include "compute/qemu/qemu_volumes.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

namespace linnet::compute {
namespace {

namespace fs = std::filesystem;

class QemuVolumesTest : public ::testing::Test {
  protected:
    fs::path data_ = fs::temp_directory_path() / ("linnet-qvol-" + std::to_string(::getpid()));
    void SetUp() override { fs::remove_all(data_); }
    void TearDown() override { fs::remove_all(data_); }
    static VolumeSpec spec(std::int64_t id, std::int64_t size_gb) {
        VolumeSpec v;
        v.id = id;
        v.label = "data-" + std::to_string(id);
        v.size_gb = size_gb;
        return v;
    }
};

TEST_F(QemuVolumesTest, FilesAreMadeGrownCopiedAndRemoved) {
    auto v = spec(7, 10);
    qemu_volumes::create(data_, v);
    const auto file = qemu_volumes::path(data_, 7);
    EXPECT_EQ(file, data_ / "volumes" / "7.img");
    EXPECT_EQ(fs::file_size(file), 10ull << 30);
    {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f << "kept";
    }
    qemu_volumes::create(data_, v);  // a step run again leaves the file as it is
    v.size_gb = 12;
    qemu_volumes::grow(data_, v);
    EXPECT_EQ(fs::file_size(file), 12ull << 30);
    auto copy = spec(8, 12);
    copy.source_id = 7;
    qemu_volumes::copy(data_, copy);
    std::ifstream in(qemu_volumes::path(data_, 8), std::ios::binary);
    std::string head(4, '\0');
    in.read(head.data(), 4);
    EXPECT_EQ(head, "kept");
    EXPECT_EQ(fs::file_size(qemu_volumes::path(data_, 8)), 12ull << 30);
    qemu_volumes::remove(data_, copy);
    EXPECT_FALSE(fs::exists(qemu_volumes::path(data_, 8)));
    EXPECT_THROW(qemu_volumes::grow(data_, copy), std::runtime_error);
}

TEST_F(QemuVolumesTest, EncryptionIsRefusedByName) {
    auto v = spec(9, 10);
    v.encryption = "enabled";
    try {
        qemu_volumes::create(data_, v);
        FAIL() << "an encrypted volume was made";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("encryption"), std::string::npos);
    }
    EXPECT_FALSE(fs::exists(qemu_volumes::path(data_, 9)));
}

TEST_F(QemuVolumesTest, ABootingVmGetsItsVolumesAsLinodeVolumes) {
    const auto controller = qemu_volumes::controller_args();
    EXPECT_EQ(controller, (std::vector<std::string>{"-device", "virtio-scsi-pci,id=scsi0"}));
    const auto args = qemu_volumes::boot_args(data_, spec(3, 10));
    ASSERT_EQ(args.size(), 4u);
    EXPECT_EQ(args[0], "-blockdev");
    EXPECT_NE(args[1].find("node-name=vol3"), std::string::npos);
    EXPECT_NE(args[1].find((data_ / "volumes" / "3.img").string()), std::string::npos);
    EXPECT_EQ(args[3],
              "scsi-hd,bus=scsi0.0,drive=vol3,id=vol3,vendor=Linode,product=Volume,"
              "device_id=data-3");
}

}  // namespace
}  // namespace linnet::compute
