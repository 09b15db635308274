// Pagination as the Linode API defines it: page >= 1, page_size 25..500 (default 100), and the
// envelope {data, page, pages, results}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linnet {

struct Page {
    std::int64_t page = 1;
    std::int64_t page_size = 100;
    std::int64_t offset() const { return (page - 1) * page_size; }
};

constexpr std::int64_t kMinPageSize = 25;
constexpr std::int64_t kMaxPageSize = 500;
constexpr std::int64_t kDefaultPageSize = 100;

// Throws ApiError 400 naming "page" or "page_size" when a value is not an integer in range.
Page parse_page(std::optional<std::string_view> page, std::optional<std::string_view> page_size);

std::int64_t page_count(std::int64_t results, std::int64_t page_size);

// Joins already-serialised JSON objects into the list envelope.
std::string page_envelope(const std::vector<std::string>& items, const Page& page,
                          std::int64_t results);

}  // namespace linnet
