// The images table: the catalog's public images, and the status a build on this host gives one.
#include "images/image_repository.hpp"

#include <gtest/gtest.h>

#include "catalog/catalog.hpp"
#include "core/filter/filter.hpp"
#include "core/pagination.hpp"
#include "store/temp_store.hpp"

namespace linnet::images {
namespace {

namespace json = boost::json;

// Every image of the account: what an unrestricted caller sees.
const std::pair<std::string, store::Params> kAll{"1=1", {}};

class ImageRepositoryTest : public ::testing::Test {
  protected:
    ImageRepositoryTest() : store_("image-repository") { catalog::load(store_.tx()); }
    store::Transaction& tx() { return store_.tx(); }
    store::TempStore store_;
};

TEST_F(ImageRepositoryTest, CatalogImagesArePublicAndUsable) {
    ImageRepository repo(tx());
    auto image = repo.find_usable("linode/debian12", kAll);
    ASSERT_TRUE(image);
    EXPECT_EQ(image->at("id").as_string(), "linode/debian12");
    EXPECT_FALSE(repo.find_usable("linode/windows95", kAll));
    auto page = store::read_page(tx(), repo.visible_to(kAll), {}, Page{1, 100});
    EXPECT_EQ(page.results, 34);
    EXPECT_EQ(json::parse(page.docs.front()).at("id").as_string(), "linode/almalinux10");
    EXPECT_EQ(store::read_page(tx(), repo.visible_to({"1=0", {}}), {}, Page{1, 100}).results, 34);
    EXPECT_TRUE(store::read_one(tx(), repo.visible_to(kAll), "id", std::string("linode/arch")));
}

TEST_F(ImageRepositoryTest, TagsAreRowsThatTheTagsFilterReads) {
    ImageRepository repo(tx());
    auto doc =
        json::parse(*store::read_one(tx(), repo.visible_to(kAll), "id", std::string("linode/arch")))
            .as_object();
    doc["tags"] = json::array{"rolling", "minimal"};
    repo.save_catalog_image(doc, 5);
    auto tagged = [&](const char* filter) {
        auto query = filter::parse(filter, repo.visible_to(kAll).schema);
        std::vector<std::string> ids;
        for (const auto& d :
             store::read_page(tx(), repo.visible_to(kAll), query, Page{1, 100}).docs)
            ids.emplace_back(json::parse(d).at("id").as_string());
        return ids;
    };
    EXPECT_EQ(tagged(R"({"tags":"rolling"})"), std::vector<std::string>{"linode/arch"});
    EXPECT_EQ(tagged(R"({"tags":"minimal"})"), std::vector<std::string>{"linode/arch"});
    EXPECT_TRUE(tagged(R"({"tags":"roll"})").empty());
    // The tags follow the document when the catalog changes it.
    doc["tags"] = json::array{"minimal"};
    repo.save_catalog_image(doc, 5);
    EXPECT_TRUE(tagged(R"({"tags":"rolling"})").empty());
    EXPECT_EQ(tagged(R"({"tags":"minimal"})"), std::vector<std::string>{"linode/arch"});
}

TEST_F(ImageRepositoryTest, ACatalogImageIsNotBuiltUntilAHostBuildsIt) {
    ImageRepository repo(tx());
    auto image = repo.find("linode/debian12");
    ASSERT_TRUE(image);
    EXPECT_EQ(image->status, "available");
    EXPECT_FALSE(image->built);
    EXPECT_FALSE(repo.find("linode/windows95"));
}

TEST_F(ImageRepositoryTest, ABuildMarksCreatingThenAvailable) {
    ImageRepository repo(tx());
    repo.mark_creating("linode/debian12", "2026-01-02T03:04:05", R"({"status":"creating"})");
    auto creating = repo.find("linode/debian12");
    ASSERT_TRUE(creating);
    EXPECT_EQ(creating->status, "creating");
    EXPECT_EQ(creating->built, "2026-01-02T03:04:05");
    EXPECT_EQ(creating->doc, R"({"status":"creating"})");

    // Loading the catalog again leaves an image this host built alone.
    catalog::load(tx());
    EXPECT_EQ(repo.find("linode/debian12")->status, "creating");

    repo.mark_available("linode/debian12", 2048, "2026-01-02T04:00:00", R"({"size":2048})");
    auto done = repo.find("linode/debian12");
    EXPECT_EQ(done->status, "available");
    EXPECT_EQ(done->size, 2048);
    EXPECT_EQ(done->built, "2026-01-02T04:00:00");
}

TEST_F(ImageRepositoryTest, AFailedBuildPutsTheImageBack) {
    ImageRepository repo(tx());
    const auto before = repo.find("linode/debian12").value();
    repo.mark_creating("linode/debian12", "2026-01-02T03:04:05", "{}");
    repo.restore(before);
    auto after = repo.find("linode/debian12");
    EXPECT_EQ(after->status, before.status);
    EXPECT_EQ(after->doc, before.doc);
    EXPECT_EQ(after->size, before.size);
    EXPECT_FALSE(after->built);
}

TEST_F(ImageRepositoryTest, ANewBuildIsAddedAsAPublicImageAndRemovedWhenItFails) {
    ImageRepository repo(tx());
    repo.add_creating("linode/debian99", "Debian 12 (debian99)", "2026-01-02T03:04:05",
                      R"({"id":"linode/debian99"})");
    auto added = repo.find("linode/debian99");
    ASSERT_TRUE(added);
    EXPECT_EQ(added->status, "creating");
    EXPECT_EQ(added->size, 0);
    EXPECT_EQ(added->built, "2026-01-02T03:04:05");
    EXPECT_TRUE(repo.find_usable("linode/debian99", kAll));
    repo.remove("linode/debian99");
    EXPECT_FALSE(repo.find("linode/debian99"));
}

TEST_F(ImageRepositoryTest, PrivateImagesAreTheAccountsAndUsableOnceAvailable) {
    ImageRepository repo(tx());
    PrivateImage image;
    image.number = repo.next_number();
    image.owner_user_id = 0;
    image.label = "golden";
    image.created_by = "alice";
    image.size = 2048;
    image.tags = {"base", "web"};
    repo.insert_private(image);
    EXPECT_EQ(image.id, "private/" + std::to_string(image.number));
    EXPECT_GT(repo.next_number(), image.number);

    auto found = repo.find_private(image.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->status, "creating");
    EXPECT_EQ(found->tags, (std::vector<std::string>{"base", "web"}));
    EXPECT_TRUE(found->regions.empty());
    EXPECT_FALSE(repo.find_usable(image.id, kAll));  // not yet available

    found->status = "available";
    found->regions = {{"us-east", "available"}, {"eu-west", "pending replication"}};
    found->tags = {"web"};
    repo.save_private(*found);
    ASSERT_TRUE(repo.find_usable(image.id, kAll));
    EXPECT_FALSE(repo.find_usable(image.id, {"1=0", {}}));  // not granted
    auto doc =
        json::parse(*store::read_one(tx(), repo.visible_to(kAll), "id", store::SqlValue(image.id)))
            .as_object();
    EXPECT_EQ(doc.at("status"), "available");
    EXPECT_EQ(doc.at("total_size"), 4096);
    EXPECT_EQ(doc.at("regions").as_array().size(), 2u);
    EXPECT_EQ(doc.at("tags"), (json::array{"web"}));
    EXPECT_EQ(doc.at("is_public"), false);
    EXPECT_EQ(repo.private_names().size(), 1u);

    // Another account has none of it.
    tx().set_scope(store::Scope::account(store_.account_id() + 1000));
    EXPECT_FALSE(repo.find_private(image.id));
    EXPECT_FALSE(repo.find_usable(image.id, kAll));
    EXPECT_FALSE(store::read_one(tx(), repo.visible_to(kAll), "id", store::SqlValue(image.id)));
    tx().set_scope(store::Scope::account(store_.account_id()));

    repo.remove_private(image.id);
    EXPECT_FALSE(repo.find_private(image.id));
}

TEST_F(ImageRepositoryTest, AnUploadSecretOpensItsPendingImageUntilItExpires) {
    ImageRepository repo(tx());
    PrivateImage image;
    image.number = repo.next_number();
    image.label = "uploaded";
    image.status = "pending_upload";
    repo.insert_private(image);
    repo.set_upload(image.id, "hash-of-secret", 1000, "us-east");
    auto pending = repo.find_by_upload(image.number, "hash-of-secret", 999);
    ASSERT_TRUE(pending);
    EXPECT_EQ(pending->first.id, image.id);
    EXPECT_EQ(pending->second, "us-east");
    EXPECT_FALSE(repo.find_by_upload(image.number, "another", 999));
    EXPECT_FALSE(repo.find_by_upload(image.number, "hash-of-secret", 1000));  // expired
    EXPECT_FALSE(repo.find_by_upload(image.number + 1, "hash-of-secret", 999));
    repo.end_upload(image.id);
    EXPECT_FALSE(repo.find_by_upload(image.number, "hash-of-secret", 999));
}

}  // namespace
}  // namespace linnet::images
