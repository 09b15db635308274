// Time as the API shows it: UTC, "YYYY-MM-DDTHH:MM:SS".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace linnet {

std::int64_t unix_now();
std::string format_time(std::int64_t unix_seconds);
std::string now_utc();
// Accepts "YYYY-MM-DDTHH:MM:SS" with an optional fraction and "Z" or "+00:00".
std::optional<std::int64_t> parse_time(std::string_view text);

}  // namespace linnet
