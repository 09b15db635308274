// Disks and config profiles of a Linode through their repositories.
#include "linodes/disk_repository.hpp"

#include <gtest/gtest.h>

#include "linodes/config_repository.hpp"
#include "linodes/two_linodes.hpp"
#include "store/temp_store.hpp"

namespace linnet::linodes {
namespace {

namespace json = boost::json;

class DiskRepositoryTest : public ::testing::Test {
  protected:
    void SetUp() override { add_two_linodes(store_); }
    store::TempStore store_{"disk-repo"};
    store::Transaction& tx() { return store_.tx(); }
};

TEST_F(DiskRepositoryTest, DisksBelongToTheirLinode) {
    DiskRepository disks(tx());
    const auto boot = disks.insert(1, "boot", 24000, "ext4", "linode/debian12", "not ready");
    const auto swap = disks.insert(1, "swap", 512, "swap", std::nullopt, "not ready");
    const auto other = disks.insert(2, "other", 100, "raw", std::nullopt, "ready");
    EXPECT_EQ(disks.total_size(1), 24512);
    EXPECT_TRUE(disks.find_of(1, boot));
    EXPECT_FALSE(disks.find_of(1, other));
    EXPECT_EQ(disks.find(boot)->image, "linode/debian12");
    EXPECT_FALSE(disks.find(swap)->image);
    disks.ready_all(1);
    EXPECT_EQ(disks.find(boot)->status, "ready");
    disks.set_size(swap, 1024);
    disks.set_label(swap, "bigger swap");
    EXPECT_EQ(disks.find(swap)->size, 1024);
    EXPECT_EQ(json::parse(disk_doc(*disks.find(swap))).at("label"), "bigger swap");
    disks.remove_all(1);
    EXPECT_TRUE(disks.of_linode(1).empty());
    EXPECT_EQ(disks.of_linode(2).size(), 1u);
}

TEST_F(DiskRepositoryTest, DisksAddedTogetherGetTheirIdsInTheOrderGiven) {
    DiskRepository disks(tx());
    const auto before = disks.insert(2, "earlier", 10, "raw", std::nullopt, "ready");
    std::vector<Disk> wanted(3);
    const char* labels[] = {"boot", "swap", "data"};
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        wanted[i].label = labels[i];
        wanted[i].size = 100 * static_cast<std::int64_t>(i + 1);
        wanted[i].filesystem = i == 1 ? "swap" : "ext4";
        wanted[i].status = "not ready";
    }
    wanted[0].image = "linode/debian12";
    const auto ids = disks.insert_all(1, wanted);
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_LT(before, ids[0]);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto disk = disks.find_of(1, ids[i]);
        ASSERT_TRUE(disk);
        EXPECT_EQ(disk->label, labels[i]);
        EXPECT_EQ(disk->size, wanted[i].size);
        EXPECT_EQ(disk->filesystem, wanted[i].filesystem);
        EXPECT_EQ(disk->image, wanted[i].image);
        EXPECT_EQ(disk->status, "not ready");
    }
    EXPECT_EQ(disks.total_size(1), 600);
    EXPECT_TRUE(disks.insert_all(1, {}).empty());
}

TEST_F(DiskRepositoryTest, ConfigsKeepTheirIdInTheDocument) {
    ConfigRepository configs(tx());
    const auto id = configs.insert(1, json::object{{"label", "profile"}, {"kernel", "k"}});
    auto doc = configs.find_of(1, id);
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->at("id").as_int64(), id);
    EXPECT_FALSE(configs.find_of(2, id));
    EXPECT_EQ(configs.first_id(1), id);
    (*doc)["label"] = "renamed";
    configs.save(*doc);
    EXPECT_EQ(configs.find(id)->at("label"), "renamed");
    configs.remove(id);
    EXPECT_FALSE(configs.first_id(1));
}

}  // namespace
}  // namespace linnet::linodes
