// Addresses: allocation walks the pool, never gives an address twice, and says when the pool is
// exhausted; documents carry the Linode's label.
#include "linodes/address_repository.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "linodes/addresses.hpp"
#include "linodes/two_linodes.hpp"
#include "store/temp_store.hpp"

namespace linnet::linodes {
namespace {

class AddressRepositoryTest : public ::testing::Test {
  protected:
    void SetUp() override { add_two_linodes(store_); }
    store::TempStore store_{"address-repo"};
    store::Transaction& tx() { return store_.tx(); }
};

TEST_F(AddressRepositoryTest, AllocationSkipsReservedAndTakenAddresses) {
    const auto pool = Ipv4Pool::parse("198.51.100.0/24");
    const auto first = allocate_ipv4(tx(), pool, 1, "us-east", true);
    EXPECT_EQ(first, "198.51.100.2");  // .0 network, .1 gateway
    const auto second = allocate_ipv4(tx(), pool, 2, "us-east", true);
    EXPECT_EQ(second, "198.51.100.3");
    AddressRepository repo(tx());
    EXPECT_EQ(repo.count_ipv4(1, true), 1);
    EXPECT_EQ(repo.first_public_ipv4(2), "198.51.100.3");
    const auto found = repo.find(first);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->linode_label, "box-1");
    EXPECT_EQ(found->rdns, "198-51-100-2.ip.linnet.internal");
    const auto doc = address_doc(*found);
    EXPECT_EQ(doc.at("assigned_entity").at("label"), "box-1");
}

TEST_F(AddressRepositoryTest, AnExhaustedPoolIsABadRequest) {
    const auto pool = Ipv4Pool::parse("198.51.100.0/30");  // .2 and .3 are usable
    allocate_ipv4(tx(), pool, 1, "us-east", true);
    allocate_ipv4(tx(), pool, 1, "us-east", true);
    EXPECT_THROW(allocate_ipv4(tx(), pool, 2, "us-east", true), ApiError);
}

TEST_F(AddressRepositoryTest, TakenAddressesAreRefusedByTheKey) {
    Address a;
    a.address = "198.51.100.50";
    a.linode_id = 1;
    a.family = "ipv4";
    a.kind = "public";
    a.subnet_mask = "255.255.255.0";
    a.region = "us-east";
    AddressRepository repo(tx());
    EXPECT_TRUE(repo.insert_if_free(a));
    a.linode_id = 2;
    EXPECT_FALSE(repo.insert_if_free(a));
    EXPECT_EQ(repo.find("198.51.100.50")->linode_id, 1);
    repo.set_rdns(a.address, "host.example.com");
    EXPECT_EQ(repo.find(a.address)->rdns, "host.example.com");
    repo.move_region(1, "eu-west");
    EXPECT_EQ(repo.find(a.address)->region, "eu-west");
    repo.remove(a.address);
    EXPECT_FALSE(repo.find(a.address));
}

}  // namespace
}  // namespace linnet::linodes
