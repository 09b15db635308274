// The 2016 catalog: ids are unique, every Linode service and every entry maps one way, and the
// tables read back through SQL as they are written.
#include "api/alpha/catalog_2016.hpp"

#include <gtest/gtest.h>

#include <set>

namespace linnet::api::alpha {
namespace {

TEST(Catalog2016, TheAnnouncementsIds) {
    ASSERT_NE(find_datacenter("datacenter_6"), nullptr);
    EXPECT_EQ(find_datacenter("datacenter_6")->label, "Newark, NJ");
    EXPECT_EQ(find_datacenter("datacenter_6")->region, "us-east");
    ASSERT_NE(find_service("service_112"), nullptr);
    EXPECT_EQ(find_service("service_112")->label, "Linode 1024");
    EXPECT_EQ(find_service("service_112")->type, "g6-nanode-1");
    ASSERT_NE(find_distribution("distro_140"), nullptr);
    EXPECT_EQ(find_distribution("distro_140")->label, "Debian 8.1");
    EXPECT_EQ(find_distribution("distro_140")->image, "linode/debian12");
    EXPECT_EQ(find_datacenter("datacenter_5"), nullptr);
    EXPECT_EQ(find_service(""), nullptr);
}

TEST(Catalog2016, IdsAreUniqueAndMapBack) {
    std::set<std::string_view> ids;
    for (const auto& d : datacenters()) {
        EXPECT_TRUE(ids.insert(d.id).second) << d.id;
        EXPECT_EQ(datacenter_of_region(d.region), &d);
    }
    for (const auto& s : services()) {
        EXPECT_TRUE(ids.insert(s.id).second) << s.id;
        EXPECT_EQ(s.type.empty(), s.service_type != "linode") << s.id;
        if (!s.type.empty()) {
            EXPECT_EQ(service_of_type(s.type), &s);
        }
    }
    for (const auto& d : distributions()) {
        EXPECT_TRUE(ids.insert(d.id).second) << d.id;
        EXPECT_EQ(distribution_of_image(d.image), &d);
    }
}

TEST(Catalog2016, LinodeNumbers) {
    EXPECT_EQ(linode_number("linode_12"), 12);
    EXPECT_EQ(linode_number("12"), 12);
    EXPECT_FALSE(linode_number("linode_"));
    EXPECT_FALSE(linode_number("linode_-1"));
    EXPECT_FALSE(linode_number("dnszone_1"));
    EXPECT_FALSE(linode_number("linode_1x"));
}

TEST(Catalog2016, TablesAreDerivedTables) {
    EXPECT_EQ(datacenter_table().rfind("(SELECT ", 0), 0u);
    EXPECT_NE(service_table().find(") AS alpha_services"), std::string::npos);
    EXPECT_NE(distribution_table().find("'distro_140' AS id"), std::string::npos);
}

}  // namespace
}  // namespace linnet::api::alpha
