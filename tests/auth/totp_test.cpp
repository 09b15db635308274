// TOTP against RFC 6238's test values (SHA-1, the six low digits of its eight).
#include "auth/totp.hpp"

#include <gtest/gtest.h>

namespace linnet::auth::totp {
namespace {

const std::string kRfcSecret = base32_encode("12345678901234567890");

TEST(Totp, Base32RoundTrips) {
    EXPECT_EQ(kRfcSecret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    EXPECT_EQ(base32_decode("gezdgnbv gy3tqojq GEZDGNBVGY3TQOJQ===="), "12345678901234567890");
    EXPECT_EQ(base32_encode("f"), "MY");
    EXPECT_EQ(base32_decode("MY"), "f");
    EXPECT_EQ(base32_decode("M1"), std::nullopt);
    const auto secret = new_secret();
    EXPECT_EQ(secret.size(), 32u);
    EXPECT_EQ(base32_decode(secret)->size(), 20u);
    EXPECT_NE(secret, new_secret());
}

TEST(Totp, CodesOfRfc6238) {
    EXPECT_EQ(code_at(kRfcSecret, step_of(59)), "287082");
    EXPECT_EQ(code_at(kRfcSecret, step_of(1111111109)), "081804");
    EXPECT_EQ(code_at(kRfcSecret, step_of(1234567890)), "005924");
    EXPECT_EQ(code_at(kRfcSecret, step_of(20000000000)), "353130");
}

TEST(Totp, ACodeMatchesWithinAStepOnce) {
    const auto now = step_of(1234567890);
    EXPECT_EQ(match(kRfcSecret, "005924", now, 0), now);
    EXPECT_EQ(match(kRfcSecret, code_at(kRfcSecret, now - 1), now, 0), now - 1);
    EXPECT_EQ(match(kRfcSecret, code_at(kRfcSecret, now + 1), now, 0), now + 1);
    EXPECT_EQ(match(kRfcSecret, code_at(kRfcSecret, now - 2), now, 0), std::nullopt);
    // A code used once (its step is the last) is not good again.
    EXPECT_EQ(match(kRfcSecret, "005924", now, now), std::nullopt);
    for (const char* bad : {"", "00592", "0059244", "00592a"})
        EXPECT_EQ(match(kRfcSecret, bad, now, 0), std::nullopt) << bad;
}

TEST(Totp, TheUriAnAppReads) {
    EXPECT_EQ(uri("ABC", "Linnet", "a user"),
              "otpauth://totp/Linnet:a%20user?secret=ABC&issuer=Linnet&algorithm=SHA1&digits=6&"
              "period=30");
}

}  // namespace
}  // namespace linnet::auth::totp
