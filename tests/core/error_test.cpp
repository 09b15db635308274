// Rendering of API errors in the Linode shape.
#include "core/error.hpp"

#include <gtest/gtest.h>

namespace linnet {
namespace {

TEST(ApiErrorRender, ReasonAndOptionalField) {
    EXPECT_EQ(render_error(errors::not_found()), R"({"errors":[{"reason":"Not found"}]})");
    EXPECT_EQ(render_error(errors::bad_filter("Cannot filter on x")),
              R"({"errors":[{"reason":"Cannot filter on x","field":"X-Filter"}]})");
    EXPECT_EQ(
        render_error(errors::invalid({{"a is bad", "a"}, {"b is bad", "b"}})),
        R"({"errors":[{"reason":"a is bad","field":"a"},{"reason":"b is bad","field":"b"}]})");
}

TEST(ApiErrorRender, StatusesAndHeaders) {
    EXPECT_EQ(errors::invalid_token().status(), 401);
    EXPECT_EQ(errors::payload_too_large().status(), 413);
    auto e = errors::too_many_requests(7);
    EXPECT_EQ(e.status(), 429);
    ASSERT_EQ(e.headers.size(), 1u);
    EXPECT_EQ(e.headers[0].first, "Retry-After");
    EXPECT_EQ(e.headers[0].second, "7");
    EXPECT_EQ(render_error(errors::internal()),
              R"({"errors":[{"reason":"Internal Server Error"}]})");
}

}  // namespace
}  // namespace linnet
