// Rate limits: windows per identity and operation, the tightest limit in the headers, refusal
// with Retry-After, and the configuration syntax.
#include "http/rate_limit.hpp"

#include <gtest/gtest.h>

namespace linnet::http {
namespace {

using std::chrono::seconds;

TEST(RateLimiter, CountsPerIdentity) {
    RateLimiter limiter({{"*", 3, seconds(60)}});
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.admit("a", "get-x").allowed);
    auto refused = limiter.admit("a", "get-x");
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.remaining, 0);
    EXPECT_GE(refused.retry_after, 1);
    EXPECT_LE(refused.retry_after, 60);
    EXPECT_TRUE(limiter.admit("b", "get-x").allowed);
}

TEST(RateLimiter, TightestLimitIsReported) {
    RateLimiter limiter({{"*", 100, seconds(60)}, {"post-linode-instance", 2, seconds(30)}});
    auto v = limiter.admit("a", "post-linode-instance");
    EXPECT_EQ(v.limit, 2);
    EXPECT_EQ(v.remaining, 1);
    EXPECT_TRUE(limiter.admit("a", "post-linode-instance").allowed);
    EXPECT_FALSE(limiter.admit("a", "post-linode-instance").allowed);
    // Other operations still have the general budget, less what the creates used.
    auto other = limiter.admit("a", "get-linode-instances");
    EXPECT_TRUE(other.allowed);
    EXPECT_EQ(other.limit, 100);
    EXPECT_EQ(other.remaining, 97);
}

TEST(RateLimiter, RefusedRequestsAreNotCounted) {
    RateLimiter limiter({{"*", 5, seconds(60)}, {"op", 1, seconds(60)}});
    EXPECT_TRUE(limiter.admit("a", "op").allowed);
    EXPECT_FALSE(limiter.admit("a", "op").allowed);
    EXPECT_FALSE(limiter.admit("a", "op").allowed);
    EXPECT_EQ(limiter.admit("a", "other").remaining, 3);
}

TEST(RateLimiter, Headers) {
    RateLimiter limiter({{"*", 1, seconds(60)}});
    auto ok = RateLimiter::headers(limiter.admit("a", "x"));
    ASSERT_EQ(ok.size(), 3u);
    EXPECT_EQ(ok[0].first, "X-RateLimit-Limit");
    auto refused = RateLimiter::headers(limiter.admit("a", "x"));
    ASSERT_EQ(refused.size(), 4u);
    EXPECT_EQ(refused[3].first, "Retry-After");
}

TEST(RateLimits, Parse) {
    EXPECT_TRUE(parse_limits("off").empty());
    auto limits = parse_limits("*=800/120,post-linode-instance=10/30");
    ASSERT_EQ(limits.size(), 2u);
    EXPECT_EQ(limits[1].operation, "post-linode-instance");
    EXPECT_EQ(limits[1].requests, 10);
    EXPECT_EQ(limits[1].window, seconds(30));
    EXPECT_THROW(parse_limits("*=800"), std::invalid_argument);
    EXPECT_THROW(parse_limits("*=0/10"), std::invalid_argument);
    EXPECT_EQ(default_limits().front().requests, 800);
}

TEST(RateLimiter, DisabledAdmitsEverything) {
    RateLimiter limiter({});
    EXPECT_FALSE(limiter.enabled());
    for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.admit("a", "x").allowed);
}

}  // namespace
}  // namespace linnet::http
