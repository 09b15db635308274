// Trusted proxies: networks of both families, what a trusted proxy forwards, and nothing
// believed from anyone else.
#include "http/proxies.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace linnet::http {
namespace {

TEST(TrustedProxies, AddressesAndNetworksOfBothFamilies) {
    const auto p = TrustedProxies::parse(" 127.0.0.1, 10.0.0.0/8 ,fd00::/8,::1");
    EXPECT_TRUE(p.trusts("127.0.0.1"));
    EXPECT_FALSE(p.trusts("127.0.0.2"));
    EXPECT_TRUE(p.trusts("10.255.1.2"));
    EXPECT_FALSE(p.trusts("11.0.0.1"));
    EXPECT_TRUE(p.trusts("::ffff:10.1.1.1"));
    EXPECT_TRUE(p.trusts("fd12::1"));
    EXPECT_FALSE(p.trusts("fe80::1"));
    EXPECT_TRUE(p.trusts("::1"));
    EXPECT_FALSE(p.trusts("not an address"));
    EXPECT_TRUE(TrustedProxies::parse("0.0.0.0/0").trusts("203.0.113.9"));
    EXPECT_FALSE(TrustedProxies::parse("0.0.0.0/0").trusts("2001:db8::1"));
    EXPECT_TRUE(TrustedProxies::parse("").empty());
}

TEST(TrustedProxies, BadEntriesAreNamed) {
    EXPECT_THROW(TrustedProxies::parse("10.0.0.0/33"), std::invalid_argument);
    EXPECT_THROW(TrustedProxies::parse("10.0.0.0/"), std::invalid_argument);
    EXPECT_THROW(TrustedProxies::parse("example.com"), std::invalid_argument);
    EXPECT_THROW(TrustedProxies::parse("::/129"), std::invalid_argument);
}

Request from(const std::string& peer, std::map<std::string, std::string> headers) {
    Request r;
    r.remote_address = peer;
    r.headers = std::move(headers);
    return r;
}

TEST(Forwarding, ATrustedProxySaysTheSchemeAndTheClient) {
    const auto proxies = TrustedProxies::parse("127.0.0.1,10.0.0.0/8");
    auto r = from("127.0.0.1",
                  {{"x-forwarded-proto", "https"}, {"x-forwarded-for", "198.51.100.7, 10.0.0.5"}});
    apply_forwarding(r, proxies);
    EXPECT_TRUE(r.secure);
    EXPECT_EQ(r.remote_address, "198.51.100.7");

    // The client's own claims left of the first untrusted hop are not believed.
    r = from("127.0.0.1", {{"x-forwarded-for", "1.1.1.1, 198.51.100.7"}});
    apply_forwarding(r, proxies);
    EXPECT_EQ(r.remote_address, "198.51.100.7");
    EXPECT_FALSE(r.secure);

    r = from("127.0.0.1", {{"x-forwarded-proto", "http"}});
    apply_forwarding(r, proxies);
    EXPECT_FALSE(r.secure);
}

TEST(Forwarding, AnyoneElseIsTakenAsConnected) {
    const auto proxies = TrustedProxies::parse("10.0.0.0/8");
    auto r = from("127.0.0.1", {{"x-forwarded-proto", "https"}, {"x-forwarded-for", "1.2.3.4"}});
    apply_forwarding(r, proxies);
    EXPECT_FALSE(r.secure);
    EXPECT_EQ(r.remote_address, "127.0.0.1");
    apply_forwarding(r, TrustedProxies{});
    EXPECT_EQ(r.remote_address, "127.0.0.1");
}

TEST(SecureCookies, OnlyOverHttps) {
    Response response;
    response.headers = {{"Set-Cookie", "a=b; Path=/"}, {"Location", "/x"}};
    Request plain;
    secure_cookies(response, plain);
    EXPECT_EQ(response.headers[0].second, "a=b; Path=/");
    Request https;
    https.secure = true;
    secure_cookies(response, https);
    secure_cookies(response, https);
    EXPECT_EQ(response.headers[0].second, "a=b; Path=/; Secure");
    EXPECT_EQ(response.headers[1].second, "/x");
}

}  // namespace
}  // namespace linnet::http
