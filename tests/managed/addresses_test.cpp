// Which addresses a Managed service may be checked at.
#include "managed/addresses.hpp"

#include <gtest/gtest.h>

namespace linnet::managed {
namespace {

TEST(ManagedAddressesTest, ClassesOfAddresses) {
    EXPECT_EQ(classify("203.0.113.7"), AddressClass::public_address);
    EXPECT_EQ(classify("example.com"), AddressClass::public_address);
    EXPECT_EQ(classify("2001:db8::1"), AddressClass::public_address);
    for (const char* a : {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.4.5", "[fd12::1]"})
        EXPECT_EQ(classify(a), AddressClass::private_address) << a;
    EXPECT_EQ(classify("172.32.0.1"), AddressClass::public_address);
    for (const char* a : {"127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "a.localhost"})
        EXPECT_EQ(classify(a), AddressClass::loopback) << a;
    for (const char* a : {"169.254.169.254", "0.0.0.0", "224.0.0.1", "255.255.255.255",
                          "::", "fe80::1", "ff02::1", "[fe80::1]", "::ffff:169.254.169.254"})
        EXPECT_EQ(classify(a), AddressClass::forbidden) << a;
    EXPECT_EQ(classify("::ffff:127.0.0.1"), AddressClass::loopback);
}

}  // namespace
}  // namespace linnet::managed
