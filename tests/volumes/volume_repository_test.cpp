// Volumes through VolumeRepository: each account's own, tags as rows in order, lists and
// filters; and the shape of a volume label.
#include "volumes/volume_repository.hpp"

#include <gtest/gtest.h>

#include "core/filter/filter.hpp"
#include "store/temp_store.hpp"
#include "volumes/volumes.hpp"

namespace linnet::volumes {
namespace {

class VolumeRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"volume-repository"};
    store::Transaction& tx_ = store_.tx();
    VolumeRepository volumes_{tx_};

    Volume make(const std::string& label, std::vector<std::string> tags = {}) {
        Volume v;
        v.label = label;
        v.region = "us-east";
        v.size = 20;
        v.tags = std::move(tags);
        v.id = volumes_.insert(v);
        return v;
    }
    std::int64_t other_account() {
        tx_.set_scope(store::Scope::system());
        const auto id = tx_.query(
                               "INSERT INTO accounts (doc, settings, created) VALUES ('{}', "
                               "'{}', '2026-01-01T00:00:00') RETURNING id")
                            .at(0)
                            .integer("id");
        tx_.set_scope(store::Scope::account(store_.account_id()));
        return id;
    }
};

TEST_F(VolumeRepositoryTest, InsertFindSaveRemove) {
    const auto v = make("data", {"b", "a"});
    auto found = volumes_.find(v.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->label, "data");
    EXPECT_EQ(found->status, "creating");
    EXPECT_EQ(found->tags, (std::vector<std::string>{"b", "a"}));
    EXPECT_FALSE(found->linode_id);
    found->size = 30;
    found->status = "active";
    found->tags = {"c"};
    volumes_.save(*found);
    auto again = volumes_.find(v.id);
    EXPECT_EQ(again->size, 30);
    EXPECT_EQ(again->status, "active");
    EXPECT_EQ(again->tags, (std::vector<std::string>{"c"}));
    EXPECT_TRUE(volumes_.label_taken("data", 0));
    EXPECT_FALSE(volumes_.label_taken("data", v.id));
    EXPECT_EQ(volumes_.tagged_with("c").size(), 1u);
    EXPECT_TRUE(volumes_.tagged_with("b").empty());
    volumes_.remove(v.id);
    EXPECT_FALSE(volumes_.find(v.id));
}

TEST_F(VolumeRepositoryTest, AnotherAccountSeesNone) {
    const auto v = make("mine", {"t"});
    const auto other = other_account();
    tx_.set_scope(store::Scope::account(other));
    EXPECT_FALSE(volumes_.find(v.id));
    EXPECT_FALSE(volumes_.label_taken("mine", 0));
    EXPECT_TRUE(volumes_.names().empty());
    EXPECT_TRUE(volumes_.tagged_with("t").empty());
    volumes_.remove(v.id);
    auto page = store::read_page(tx_, VolumeRepository::listing({"1=1", {}}), {}, {1, 100});
    EXPECT_EQ(page.results, 0);
    tx_.set_scope(store::Scope::account(store_.account_id()));
    EXPECT_TRUE(volumes_.find(v.id));
}

TEST_F(VolumeRepositoryTest, ListsRenderTagsAndFilter) {
    make("first", {"x", "y"});
    make("second", {"y"});
    filter::Query by_tag =
        filter::parse(R"({"tags":"x"})", VolumeRepository::listing({"1=1", {}}).schema);
    auto page = store::read_page(tx_, VolumeRepository::listing({"1=1", {}}), by_tag, {1, 100});
    ASSERT_EQ(page.results, 1);
    auto doc = boost::json::parse(page.docs.at(0)).as_object();
    EXPECT_EQ(doc.at("label"), "first");
    EXPECT_EQ(doc.at("tags"), (boost::json::array{"x", "y"}));
    EXPECT_EQ(doc.at("filesystem_path"), "/dev/disk/by-id/scsi-0Linode_Volume_first");
    auto all = store::read_page(tx_, VolumeRepository::tagged("y", {"1=1", {}}), {}, {1, 100});
    EXPECT_EQ(all.results, 2);
    auto one = store::read_one(tx_, VolumeRepository::listing({"1=1", {}}), "label",
                               std::string("second"));
    ASSERT_TRUE(one);
    EXPECT_EQ(boost::json::parse(*one).at("tags"), (boost::json::array{"y"}));
}

TEST(VolumeLabel, ShapeOfALabel) {
    EXPECT_FALSE(label_problem("data"));
    EXPECT_FALSE(label_problem("db-1_backup"));
    EXPECT_TRUE(label_problem("a"));
    EXPECT_TRUE(label_problem("1data"));
    EXPECT_TRUE(label_problem("a--b"));
    EXPECT_TRUE(label_problem("a__b"));
    EXPECT_TRUE(label_problem("with space"));
    EXPECT_TRUE(label_problem(std::string(33, 'a')));
    EXPECT_FALSE(label_problem(std::string(32, 'a')));
}

}  // namespace
}  // namespace linnet::volumes
