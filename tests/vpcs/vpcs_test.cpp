// A VPC's ranges and the addresses of its subnets.
#include "vpcs/vpcs.hpp"

#include <gtest/gtest.h>

namespace linnet::vpcs {
namespace {

TEST(Vpcs, ARangeIsPrivateCanonicalAndApartFromTheLinodesPrivateAddresses) {
    std::string canonical;
    EXPECT_EQ(range_problem("10.1.0.0/16", canonical), std::nullopt);
    EXPECT_EQ(canonical, "10.1.0.0/16");
    EXPECT_NE(range_problem("10.1.0.1/16", canonical), std::nullopt);
    EXPECT_NE(range_problem("8.8.8.0/24", canonical), std::nullopt);
    EXPECT_NE(range_problem("192.168.200.0/24", canonical), std::nullopt);
    EXPECT_NE(range_problem("10.0.0.0/30", canonical), std::nullopt);
    EXPECT_TRUE(overlap("10.0.0.0/16", "10.0.5.0/24"));
    EXPECT_FALSE(overlap("10.0.0.0/24", "10.0.1.0/24"));
}

TEST(Vpcs, ASubnetsAddresses) {
    EXPECT_EQ(gateway_of("10.0.4.0/22"), "10.0.4.1");
    EXPECT_EQ(mask_of("10.0.4.0/22"), "255.255.252.0");
    EXPECT_EQ(prefix_of("10.0.4.0/22"), 22);
    EXPECT_EQ(host_problem("10.0.4.0/22", "10.0.7.254"), std::nullopt);
    for (const char* refused : {"10.0.4.0", "10.0.4.1", "10.0.7.255", "10.0.8.2", "nope"})
        EXPECT_NE(host_problem("10.0.4.0/22", refused), std::nullopt) << refused;
    EXPECT_TRUE(within_subnet("10.0.4.0/22", "10.0.5.0/28"));
    EXPECT_TRUE(within_subnet("10.0.4.0/22", "10.0.6.9/32"));
    EXPECT_FALSE(within_subnet("10.0.4.0/22", "10.0.0.0/16"));
    EXPECT_FALSE(within_subnet("10.0.4.0/22", "10.0.8.0/28"));
}

TEST(Vpcs, TheFirstFreeAddressSkipsTheGatewayAndTheTaken) {
    EXPECT_EQ(first_free("10.0.0.0/29", {}), "10.0.0.2");
    EXPECT_EQ(first_free("10.0.0.0/29", {"10.0.0.2", "10.0.0.4"}), "10.0.0.3");
    // A /29: .2 to .6 are the interfaces'.
    EXPECT_EQ(
        first_free("10.0.0.0/29", {"10.0.0.6", "10.0.0.5", "10.0.0.4", "10.0.0.3", "10.0.0.2"}),
        std::nullopt);
}

}  // namespace
}  // namespace linnet::vpcs
