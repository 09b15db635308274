// The catalog repository over the embedded catalog as linnetd loads it at start.
#include "catalog/catalog_repository.hpp"

#include <gtest/gtest.h>

#include "catalog/catalog.hpp"
#include "core/pagination.hpp"
#include "store/temp_store.hpp"

namespace linnet::catalog {
namespace {

namespace json = boost::json;

class CatalogRepositoryTest : public ::testing::Test {
  protected:
    CatalogRepositoryTest() : store_("catalog-repository") { load(store_.tx()); }
    store::Transaction& tx() { return store_.tx(); }

    std::vector<std::string> first_ids(const store::Listing& listing, std::int64_t& results) {
        auto page = store::read_page(tx(), listing, {}, Page{1, 25});
        results = page.results;
        std::vector<std::string> ids;
        for (const auto& doc : page.docs) {
            const auto object = json::parse(doc).as_object();
            ids.emplace_back(object.at("id").as_string());
        }
        return ids;
    }

    store::TempStore store_;
};

TEST_F(CatalogRepositoryTest, FindsTypesByIdWithTheirDocument) {
    CatalogRepository repo(tx());
    auto nanode = repo.find_type("g6-nanode-1");
    ASSERT_TRUE(nanode);
    EXPECT_EQ(nanode->at("label").as_string(), "Nanode 1GB");
    EXPECT_EQ(nanode->at("memory").to_number<std::int64_t>(), 1024);
    EXPECT_FALSE(repo.find_type("g6-imaginary-9"));
}

TEST_F(CatalogRepositoryTest, KnowsRegionsAndWhatTheyOffer) {
    CatalogRepository repo(tx());
    EXPECT_TRUE(repo.region_exists("us-east"));
    EXPECT_FALSE(repo.region_exists("moon-base-1"));
    auto region = repo.find_region("au-mel");
    ASSERT_TRUE(region);
    EXPECT_EQ(region->at("label").as_string(), "Melbourne, AU");
    auto caps = repo.find_region_capabilities("au-mel");
    ASSERT_TRUE(caps);
    EXPECT_EQ(caps->id, "au-mel");
    EXPECT_TRUE(caps->has("Linodes"));
    EXPECT_TRUE(caps->has("Block Storage"));
    EXPECT_FALSE(caps->has("Block"));  // whole capabilities only
    EXPECT_FALSE(repo.find_region_capabilities("moon-base-1"));
}

TEST_F(CatalogRepositoryTest, KernelsByTheirFullId) {
    CatalogRepository repo(tx());
    EXPECT_TRUE(repo.kernel_exists("linode/latest-2.6"));
    EXPECT_FALSE(repo.kernel_exists("latest-2.6"));
    auto kernel = repo.find_kernel("linode/latest-2.6-32bit");
    ASSERT_TRUE(kernel);
    EXPECT_EQ(kernel->at("id").as_string(), "linode/latest-2.6-32bit");
}

TEST_F(CatalogRepositoryTest, RegionAvailabilityInCatalogOrder) {
    CatalogRepository repo(tx());
    auto docs = repo.region_availability("us-east");
    ASSERT_EQ(docs.size(), 18u);
    auto first = json::parse(docs.front()).as_object();
    EXPECT_EQ(first.at("region").as_string(), "us-east");
    EXPECT_EQ(first.at("plan").as_string(), "g1-gpu-rtx6000-1");
    EXPECT_TRUE(repo.region_availability("moon-base-1").empty());
}

TEST_F(CatalogRepositoryTest, ListsKeepTheCatalogsOrder) {
    CatalogRepository repo(tx());
    std::int64_t results = 0;
    auto regions = first_ids(repo.regions(), results);
    EXPECT_EQ(results, 46);
    ASSERT_GE(regions.size(), 3u);
    EXPECT_EQ(regions[0], "au-mel");
    EXPECT_EQ(regions[1], "us-lax");
    auto types = first_ids(repo.types(), results);
    EXPECT_EQ(types.front(), "g6-nanode-1");
    EXPECT_EQ(results, 37);
    auto kernels = first_ids(repo.kernels(), results);
    EXPECT_EQ(kernels.front(), "linode/latest-2.6-32bit");
    EXPECT_EQ(results, 328);
}

TEST_F(CatalogRepositoryTest, OneDocumentOfAListing) {
    CatalogRepository repo(tx());
    auto doc = store::read_one(tx(), repo.types(), "id", std::string("g6-nanode-1"));
    ASSERT_TRUE(doc);
    EXPECT_EQ(json::parse(*doc).at("id").as_string(), "g6-nanode-1");
    EXPECT_FALSE(store::read_one(tx(), repo.regions(), "id", std::string("moon-base-1")));
}

TEST_F(CatalogRepositoryTest, RegionCapabilitiesRenderedPerRegion) {
    CatalogRepository repo(tx());
    auto listing = repo.region_capabilities([](const RegionCapabilities& r) {
        return r.id + (r.has("Linodes") ? ":linodes" : ":none");
    });
    auto page = store::read_page(tx(), listing, {}, Page{1, 2});
    EXPECT_EQ(page.results, 46);
    ASSERT_EQ(page.docs.size(), 2u);
    EXPECT_EQ(page.docs[0], "au-mel:linodes");
    EXPECT_EQ(page.docs[1], "us-lax:linodes");
}

TEST_F(CatalogRepositoryTest, LoadingAgainRefreshesRowsInPlace) {
    load(tx());
    CatalogRepository repo(tx());
    std::int64_t results = 0;
    first_ids(repo.regions(), results);
    EXPECT_EQ(results, 46);
    EXPECT_EQ(store::read_page(tx(), repo.availability(), {}, Page{1, 25}).results, 612);
}

}  // namespace
}  // namespace linnet::catalog
