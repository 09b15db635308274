// Page parameters and the list envelope.
#include "core/pagination.hpp"

#include <charconv>

#include "core/error.hpp"

namespace linnet {

namespace {

std::int64_t parse_integer(std::string_view text, const char* field, std::int64_t min,
                           std::int64_t max) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range && !text.empty() && text.front() != '-')
        value = INT64_MAX;
    else if (ec != std::errc() || end != text.data() + text.size())
        throw errors::bad_request(std::string(field) + " must be an integer", std::string(field));
    if (value < min || value > max) {
        std::string reason =
            max == INT64_MAX
                ? std::string(field) + " must be " + std::to_string(min) + " or greater"
                : std::string(field) + " must be between " + std::to_string(min) + " and " +
                      std::to_string(max);
        throw errors::bad_request(reason, std::string(field));
    }
    return value;
}

}  // namespace

Page parse_page(std::optional<std::string_view> page, std::optional<std::string_view> page_size) {
    Page p;
    if (page_size) p.page_size = parse_integer(*page_size, "page_size", kMinPageSize, kMaxPageSize);
    if (page) p.page = parse_integer(*page, "page", 1, INT64_MAX);
    // A page past any possible offset is the last possible page, as the spec says.
    const std::int64_t last_possible = INT64_MAX / p.page_size;
    if (p.page > last_possible) p.page = last_possible;
    return p;
}

std::int64_t page_count(std::int64_t results, std::int64_t page_size) {
    if (results <= 0) return 1;
    return (results + page_size - 1) / page_size;
}

std::string page_envelope(const std::vector<std::string>& items, const Page& page,
                          std::int64_t results) {
    std::size_t size = 64;
    for (const auto& item : items) size += item.size() + 1;
    std::string out;
    out.reserve(size);
    out += "{\"data\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out.push_back(',');
        out += items[i];
    }
    out += "],\"page\":";
    out += std::to_string(page.page);
    out += ",\"pages\":";
    out += std::to_string(page_count(results, page.page_size));
    out += ",\"results\":";
    out += std::to_string(results);
    out += "}";
    return out;
}

}  // namespace linnet
