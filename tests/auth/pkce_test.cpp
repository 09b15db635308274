// PKCE S256 against RFC 7636's own example, and the shapes of verifiers and challenges.
// Verifiers and challenges of the wrong shape never match.
#include "auth/pkce.hpp"

#include <gtest/gtest.h>

namespace linnet::auth {
namespace {

const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";  // RFC 7636 appendix B
const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

TEST(Pkce, S256OfTheRfcExample) {
    EXPECT_EQ(s256_challenge(kVerifier), kChallenge);
    EXPECT_TRUE(verifier_matches(kChallenge, kVerifier));
    EXPECT_FALSE(verifier_matches(kChallenge, std::string(kVerifier) + "x"));
    EXPECT_FALSE(verifier_matches(kChallenge, kChallenge));
}

TEST(Pkce, VerifierShape) {
    EXPECT_TRUE(valid_code_verifier(std::string(43, 'a')));
    EXPECT_TRUE(valid_code_verifier(std::string(128, '~')));
    EXPECT_FALSE(valid_code_verifier(std::string(42, 'a')));
    EXPECT_FALSE(valid_code_verifier(std::string(129, 'a')));
    EXPECT_FALSE(valid_code_verifier(std::string(43, 'a') + "+"));
    EXPECT_FALSE(verifier_matches(s256_challenge("short"), "short"));
}

TEST(Pkce, ChallengeShape) {
    EXPECT_TRUE(valid_code_challenge(kChallenge));
    EXPECT_FALSE(valid_code_challenge(std::string(kChallenge) + "A"));
    EXPECT_FALSE(valid_code_challenge(std::string(42, 'A') + "="));
    EXPECT_FALSE(valid_code_challenge(std::string(42, 'A') + "."));
}

}  // namespace
}  // namespace linnet::auth
