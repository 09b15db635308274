// Cookies: finding one among several in a Cookie header, and the attributes every session
// cookie carries.
#include "http/cookie.hpp"

#include <gtest/gtest.h>

namespace linnet::http {
namespace {

TEST(Cookie, FoundAmongOthers) {
    Request r;
    r.headers["cookie"] = "a=1; linnet_session=abc ; other_linnet_session=zzz";
    EXPECT_EQ(cookie(r, "linnet_session"), "abc");
    EXPECT_EQ(cookie(r, "a"), "1");
    EXPECT_FALSE(cookie(r, "session"));
    EXPECT_FALSE(cookie(Request{}, "a"));
}

TEST(Cookie, SetCookieIsHttpOnlyAndLax) {
    EXPECT_EQ(set_cookie("s", "v", 60), "s=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
    EXPECT_EQ(set_cookie("s", "", 0), "s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

}  // namespace
}  // namespace linnet::http
