// Request framing: obs-fold lines and untrustworthy body lengths are found; ordinary requests
// pass.
#include "http/framing.hpp"

#include <gtest/gtest.h>

namespace linnet::http {
namespace {

TEST(HeaderSection, EndsAtTheEmptyLine) {
    EXPECT_FALSE(header_section("GET / HTTP/1.1\r\nHost: a\r\n"));
    EXPECT_EQ(*header_section("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody"),
              "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_EQ(*header_section("\r\nGET / HTTP/1.1\r\n\r\n"), "GET / HTTP/1.1\r\n\r\n");
}

TEST(Folding, AFieldContinuedOnTheNextLineIsRefused) {
    EXPECT_TRUE(folding_problem("GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n"));
    EXPECT_TRUE(folding_problem("GET / HTTP/1.1\r\nX-A: one\r\n\ttwo\r\n\r\n"));
    EXPECT_TRUE(folding_problem("GET / HTTP/1.1\r\n Host: a\r\n\r\n"));
    EXPECT_FALSE(folding_problem("GET / HTTP/1.1\r\nX-A: one two\r\nHost: a\r\n\r\n"));
}

TEST(Framing, TheLastCodingMustBeChunkedAndAloneWithoutContentLength) {
    EXPECT_FALSE(framing_problem({}, 0));
    EXPECT_FALSE(framing_problem({}, 1));
    EXPECT_FALSE(framing_problem({"chunked"}, 0));
    EXPECT_FALSE(framing_problem({"gzip, Chunked"}, 0));
    EXPECT_FALSE(framing_problem({"gzip", "chunked"}, 0));
    EXPECT_TRUE(framing_problem({"chunked"}, 1));
    EXPECT_TRUE(framing_problem({"chunked, identity"}, 0));
    EXPECT_TRUE(framing_problem({"chunked, identity"}, 1));
    EXPECT_TRUE(framing_problem({"chunked", "identity"}, 0));
    EXPECT_TRUE(framing_problem({"identity"}, 0));
    EXPECT_TRUE(framing_problem({""}, 0));
}

}  // namespace
}  // namespace linnet::http
