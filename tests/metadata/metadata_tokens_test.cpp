#include "metadata/metadata_tokens.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace linnet::metadata {
namespace {

TokenKey key_of(unsigned char fill) {
    std::array<unsigned char, 32> bytes{};
    bytes.fill(fill);
    return TokenKey(bytes);
}

TEST(MetadataTokens, IssuedTokenIsSixtyFourHexAndAcceptedUntilItExpires) {
    const auto key = key_of(7);
    const std::string token = key.issue(42, 1000);
    ASSERT_EQ(token.size(), 64u);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_TRUE(key.accepts(token, 42, 999));
    EXPECT_FALSE(key.accepts(token, 42, 1000));
}

TEST(MetadataTokens, TokenOfAnotherLinodeOrKeyOrAlteredIsRefused) {
    const auto key = key_of(7);
    const std::string token = key.issue(42, 1000);
    EXPECT_FALSE(key.accepts(token, 43, 10));
    EXPECT_FALSE(key_of(8).accepts(token, 42, 10));
    std::string later = key.issue(42, 5000);
    // A later expiry written over an earlier token's MAC does not pass.
    EXPECT_FALSE(key.accepts(later.substr(0, 16) + token.substr(16), 42, 2000));
    std::string flipped = token;
    flipped[40] = flipped[40] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(key.accepts(flipped, 42, 10));
    EXPECT_FALSE(key.accepts("", 42, 10));
    EXPECT_FALSE(key.accepts(std::string(64, 'G'), 42, 10));
}

TEST(MetadataTokens, KeyIsKeptInItsFileAcrossLoads) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("linnet-metadata-key-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto first = TokenKey::load_or_create(dir / "metadata.key");
    const auto again = TokenKey::load_or_create(dir / "metadata.key");
    EXPECT_TRUE(again.accepts(first.issue(1, 100), 1, 50));
    EXPECT_EQ(
        std::filesystem::status(dir / "metadata.key").permissions() & std::filesystem::perms::all,
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace linnet::metadata
