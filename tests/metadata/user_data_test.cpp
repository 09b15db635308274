#include "metadata/user_data.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace linnet::metadata {
namespace {

TEST(UserData, DecodesBase64WithPaddingAndLineBreaks) {
    EXPECT_EQ(decode_base64("I2Nsb3VkLWNvbmZpZwo="), "#cloud-config\n");
    EXPECT_EQ(decode_base64("I2Nsb3Vk\nLWNvbmZp\r\nZwo="), "#cloud-config\n");
    EXPECT_THROW(decode_base64("not base64!"), std::invalid_argument);
    EXPECT_THROW(decode_base64("I2Nsb3VkLWNvbmZpZwo=trailing"), std::invalid_argument);
}

TEST(UserData, ProblemsNameWhatIsWrong) {
    EXPECT_EQ(user_data_problem("I2Nsb3VkLWNvbmZpZwo="), std::nullopt);
    EXPECT_NE(user_data_problem("")->find("empty"), std::string::npos);
    EXPECT_NE(user_data_problem("@@@@")->find("base64"), std::string::npos);
    // 65535 bytes is the most; one more is refused.
    const std::string most(87380, 'A');  // 65535 zero bytes
    EXPECT_EQ(user_data_problem(most), std::nullopt);
    const std::string over = std::string(87380, 'A') + "AA==";
    EXPECT_NE(user_data_problem(over)->find("65535"), std::string::npos);
    EXPECT_NE(user_data_problem(std::string(400000, 'A'))->find("65535"), std::string::npos);
}

}  // namespace
}  // namespace linnet::metadata
