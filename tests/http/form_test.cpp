// Form bodies: URL-encoded and multipart fields, repeated names, malformed bodies refused, and
// URL encoding of redirect parameters.
#include "http/form.hpp"

#include <gtest/gtest.h>

#include <random>

namespace linnet::http {
namespace {

TEST(Form, UrlEncodedFieldsAreDecoded) {
    auto form =
        parse_form("application/x-www-form-urlencoded", "a=1&b=x+y%21&c=&d&scope=s1&scope=s2");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("a"), "1");
    EXPECT_EQ(form->get("b"), "x y!");
    EXPECT_EQ(form->get("c"), "");
    EXPECT_EQ(form->get("d"), "");
    EXPECT_FALSE(form->get("e"));
    EXPECT_EQ(form->all("scope"), (std::vector<std::string>{"s1", "s2"}));
    EXPECT_TRUE(form->repeated("scope"));
    EXPECT_FALSE(form->repeated("a"));
}

TEST(Form, ContentTypeParametersAndCaseAreIgnored) {
    auto form = parse_form("Application/X-WWW-Form-Urlencoded; charset=UTF-8", "k=v");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("k"), "v");
}

TEST(Form, MalformedEscapesAreSkipped) {
    auto form = parse_form("application/x-www-form-urlencoded", "bad=%zz&good=1");
    ASSERT_TRUE(form);
    EXPECT_FALSE(form->get("bad"));
    EXPECT_EQ(form->get("good"), "1");
}

TEST(Form, MultipartFields) {
    const std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\n"
        "authorization_code\r\n"
        "--XyZ\r\ncontent-disposition: form-data; name=code\r\nContent-Type: text/plain\r\n\r\n"
        "line1\r\nline2\r\n"
        "--XyZ--\r\n";
    auto form = parse_form("multipart/form-data; boundary=\"XyZ\"", body);
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("grant_type"), "authorization_code");
    EXPECT_EQ(form->get("code"), "line1\r\nline2");
}

TEST(Form, MalformedMultipartIsRefused) {
    EXPECT_FALSE(parse_form("multipart/form-data", "--a\r\n\r\nx\r\n--a--"));
    EXPECT_FALSE(parse_form("multipart/form-data; boundary=a", "no delimiter here"));
    EXPECT_FALSE(parse_form("multipart/form-data; boundary=a", "--a\r\nX: y\r\n\r\nunterminated"));
    EXPECT_FALSE(parse_form("multipart/form-data; boundary=a",
                            "--a\r\nContent-Type: text/plain\r\n\r\nno name\r\n--a--"));
}

TEST(Form, OtherTypesAreNotForms) {
    EXPECT_FALSE(parse_form("application/json", "{\"a\":1}"));
    EXPECT_FALSE(parse_form("", "a=1"));
}

TEST(Form, UrlEncodeKeepsOnlyUnreserved) {
    EXPECT_EQ(url_encode("a-b_c.d~e"), "a-b_c.d~e");
    EXPECT_EQ(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

TEST(Form, DamagedBodiesNeverThrow) {
    const std::string body =
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
        "--b\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\n2\r\n--b--\r\n";
    std::mt19937 random(7);
    for (int i = 0; i < 5000; ++i) {
        std::string damaged = body;
        for (int edits = 1 + static_cast<int>(random() % 4); edits > 0; --edits) {
            const std::size_t at = random() % (damaged.size() + 1);
            switch (random() % 3) {
                case 0:
                    damaged.insert(at, 1, "-\r\n\"=;b"[random() % 8]);
                    break;
                case 1:
                    if (at < damaged.size()) damaged.erase(at, 1 + random() % 6);
                    break;
                default:
                    damaged.resize(at);
            }
        }
        EXPECT_NO_THROW(parse_form("multipart/form-data; boundary=b", damaged)) << damaged;
        EXPECT_NO_THROW(parse_form("application/x-www-form-urlencoded", damaged)) << damaged;
    }
}

}  // namespace
}  // namespace linnet::http
