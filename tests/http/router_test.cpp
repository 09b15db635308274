// Route matching: templates, literal precedence, ids with slashes, prefixes, 404 and 405.
#include "http/router.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace linnet::http {
namespace {

Router make() {
    Router r;
    auto ok = [](Context&) { return Response::json("{}"); };
    r.add("GET", "/regions", "get-regions", auth::Requirement::open(), ok);
    r.add("GET", "/regions/{regionId}", "get-region", auth::Requirement::open(), ok);
    r.add("GET", "/regions/availability", "get-regions-availability", auth::Requirement::open(),
          ok);
    r.add("GET", "/images/{imageId+}", "get-image", auth::Requirement::open(), ok);
    r.add("POST", "/images/{imageId+}/regions", "post-replicate-image", auth::Requirement::open(),
          ok);
    r.add("DELETE", "/images/{imageId+}", "delete-image", auth::Requirement::open(), ok);
    return r;
}

int status_of(const Router& r, std::string_view method, std::string_view path) {
    try {
        r.match(method, path);
    } catch (const ApiError& e) {
        return e.status();
    }
    return 200;
}

TEST(Router, LiteralBeatsParameter) {
    Router r = make();
    EXPECT_EQ(r.match("GET", "/regions/availability").route->operation_id,
              "get-regions-availability");
    auto m = r.match("GET", "/regions/us-east");
    EXPECT_EQ(m.route->operation_id, "get-region");
    EXPECT_EQ(m.params.at("regionId"), "us-east");
}

TEST(Router, ImageIdsKeepTheirSlash) {
    Router r = make();
    EXPECT_EQ(r.match("GET", "/images/linode/debian12").params.at("imageId"), "linode/debian12");
    EXPECT_EQ(r.match("GET", "/images/private%2F12").params.at("imageId"), "private/12");
    auto m = r.match("POST", "/images/linode/debian12/regions");
    EXPECT_EQ(m.route->operation_id, "post-replicate-image");
    EXPECT_EQ(m.params.at("imageId"), "linode/debian12");
}

TEST(Router, NotFoundAndMethodNotAllowed) {
    Router r = make();
    EXPECT_EQ(status_of(r, "GET", "/nothing"), 404);
    EXPECT_EQ(status_of(r, "GET", "/regions/us-east/extra"), 404);
    EXPECT_EQ(status_of(r, "GET", "/images/"), 404);
    try {
        r.match("PUT", "/regions");
        FAIL();
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 405);
        ASSERT_EQ(e.headers.size(), 1u);
        EXPECT_EQ(e.headers[0].second, "GET");
    }
    EXPECT_EQ(status_of(r, "POST", "/images/linode/debian12"), 405);
}

TEST(Router, BadEscapeIsNotFound) {
    EXPECT_EQ(status_of(make(), "GET", "/regions/%zz"), 404);
}

TEST(Router, PrefixAndTrailingSlash) {
    EXPECT_EQ(strip_api_prefix("/v4/regions"), "/regions");
    EXPECT_EQ(strip_api_prefix("/v4beta/regions/"), "/regions");
    EXPECT_EQ(strip_api_prefix("/v4"), "/");
    EXPECT_EQ(strip_api_prefix("/v5/regions"), std::nullopt);
    EXPECT_EQ(strip_api_prefix("/v4x/regions"), std::nullopt);
    EXPECT_EQ(strip_api_prefix("/regions"), std::nullopt);
}

TEST(Request, TargetSplitting) {
    Target t = split_target("/v4/regions?page=2&page_size=25&x=a%20b+c&flag");
    EXPECT_EQ(t.path, "/v4/regions");
    EXPECT_EQ(t.query.at("page"), "2");
    EXPECT_EQ(t.query.at("x"), "a b c");
    EXPECT_EQ(t.query.at("flag"), "");
    EXPECT_EQ(percent_decode("%2f%2F"), "//");
    EXPECT_EQ(percent_decode("%2"), std::nullopt);
}

TEST(Router, RoutesThatHashPasswordsAreKnownByMethodAndPath) {
    Router r = make();
    auto ok = [](Context&) { return Response::json("{}"); };
    r.add("POST", "/login", "login", auth::Requirement::open(), ok);
    EXPECT_FALSE(r.hashing("POST", "/login"));
    r.hashes_passwords("POST", "/login");
    EXPECT_TRUE(r.hashing("POST", "/login"));
    EXPECT_FALSE(r.hashing("GET", "/login"));
    EXPECT_FALSE(r.hashing("POST", "/login/tfa"));
    EXPECT_FALSE(r.hashing("GET", "/regions"));
    // Only a route of the table, and one without parameters, can be marked.
    EXPECT_THROW(r.hashes_passwords("POST", "/nowhere"), std::logic_error);
    EXPECT_THROW(r.hashes_passwords("GET", "/regions/{regionId}"), std::logic_error);
}

}  // namespace
}  // namespace linnet::http
