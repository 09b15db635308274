// Page parameters, their errors, and the list envelope.
#include "core/pagination.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace linnet {
namespace {

std::optional<std::string> field_of(std::optional<std::string_view> page,
                                    std::optional<std::string_view> size) {
    try {
        parse_page(page, size);
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 400);
        return e.details().at(0).field;
    }
    return std::nullopt;
}

TEST(Pagination, Defaults) {
    Page p = parse_page(std::nullopt, std::nullopt);
    EXPECT_EQ(p.page, 1);
    EXPECT_EQ(p.page_size, 100);
    EXPECT_EQ(p.offset(), 0);
}

TEST(Pagination, Bounds) {
    EXPECT_EQ(parse_page("3", "25").offset(), 50);
    EXPECT_EQ(parse_page("1", "500").page_size, 500);
    EXPECT_EQ(field_of("0", std::nullopt), "page");
    EXPECT_EQ(field_of("-1", std::nullopt), "page");
    EXPECT_EQ(field_of("two", std::nullopt), "page");
    EXPECT_EQ(field_of("1", "24"), "page_size");
    EXPECT_EQ(field_of("1", "501"), "page_size");
    EXPECT_EQ(field_of("1", "1e2"), "page_size");
    EXPECT_EQ(field_of("", std::nullopt), "page");
}

TEST(Pagination, HugePageIsTheLastPossiblePage) {
    Page p = parse_page("99999999999999999999999", "500");
    EXPECT_EQ(p.page, INT64_MAX / 500);
    EXPECT_GE(p.offset(), 0);
}

TEST(Pagination, Envelope) {
    EXPECT_EQ(page_envelope({"{\"id\":1}", "{\"id\":2}"}, Page{2, 25}, 27),
              R"({"data":[{"id":1},{"id":2}],"page":2,"pages":2,"results":27})");
    EXPECT_EQ(page_envelope({}, Page{1, 100}, 0), R"({"data":[],"page":1,"pages":1,"results":0})");
    EXPECT_EQ(page_count(100, 100), 1);
    EXPECT_EQ(page_count(101, 100), 2);
}

}  // namespace
}  // namespace linnet
