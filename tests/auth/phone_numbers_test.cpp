// Phone numbers in E.164 form.
#include "auth/phone_numbers.hpp"

#include <gtest/gtest.h>

namespace linnet::auth {
namespace {

std::string of(const std::string& iso, const std::string& number) {
    std::string problem, field;
    auto e = e164(iso, number, problem, field);
    return e ? *e : field + ": " + problem;
}

TEST(PhoneNumbers, NationalAndInternationalForms) {
    EXPECT_EQ(of("US", "555-555-5555"), "+15555555555");
    EXPECT_EQ(of("us", "(555) 555.5555"), "+15555555555");
    EXPECT_EQ(of("US", "1 555 555 5555"), "+15555555555");
    EXPECT_EQ(of("US", "+1 555 555 5555"), "+15555555555");
    EXPECT_EQ(of("GB", "07700 900123"), "+447700900123");
    EXPECT_EQ(of("GB", "+44 7700 900123"), "+447700900123");
    EXPECT_EQ(of("DE", "030 1234567"), "+49301234567");
}

TEST(PhoneNumbers, WhatIsNotANumber) {
    EXPECT_EQ(of("XX", "5555555555").rfind("iso_code: ", 0), 0u);
    EXPECT_EQ(of("US", "555-5555").rfind("phone_number: ", 0), 0u);
    EXPECT_EQ(of("US", "555-555-5555x1").rfind("phone_number: ", 0), 0u);
    EXPECT_EQ(of("GB", "+1 555 555 5555").rfind("phone_number: ", 0), 0u);
    EXPECT_EQ(of("DE", "12").rfind("phone_number: ", 0), 0u);
    EXPECT_EQ(of("DE", "+49 1234567890123456").rfind("phone_number: ", 0), 0u);
}

}  // namespace
}  // namespace linnet::auth
