// Where an app may be sent back: an absolute http(s) address, the registered one or the
// registered one with a query the app added.
#include "auth/oauth_client.hpp"

#include <gtest/gtest.h>

namespace linnet::auth {
namespace {

constexpr std::string_view kRegistered = "https://cloud.example:8443/oauth/callback";

TEST(RedirectUri, TheRegisteredAddressMatches) {
    EXPECT_TRUE(redirect_uri_matches(kRegistered, kRegistered));
}

TEST(RedirectUri, AQueryTheAppAddedMatches) {
    EXPECT_TRUE(redirect_uri_matches(kRegistered,
                                     "https://cloud.example:8443/oauth/callback?returnTo=%2F"));
    EXPECT_TRUE(redirect_uri_matches("http://a.example/cb?app=1", "http://a.example/cb?app=1&x=2"));
}

TEST(RedirectUri, AnythingElseDoesNot) {
    for (std::string_view sent : {
             "https://cloud.example:8443/oauth/callback/",
             "https://cloud.example:8443/oauth/callbackx",
             "https://cloud.example:8443/oauth/callback?",
             "https://cloud.example:8443/oauth/callback#frag",
             "https://cloud.example:8443/oauth/callback?a=1#frag",
             "https://cloud.example:8443/oauth/callback?a=1 2",
             "https://cloud.example:8443/oauth/callback?a=\r\nSet-Cookie:x",
             "https://cloud.example:8444/oauth/callback?a=1",
             "http://cloud.example:8443/oauth/callback?a=1",
             "https://evil.example/?https://cloud.example:8443/oauth/callback",
         })
        EXPECT_FALSE(redirect_uri_matches(kRegistered, sent)) << sent;
    EXPECT_FALSE(redirect_uri_matches("http://a.example/cb?app=1", "http://a.example/cb?app=1?x"));
}

}  // namespace
}  // namespace linnet::auth
