// Calendar months in UTC, as billing and network transfer count them.
#pragma once

#include <cstdint>
#include <string>

namespace linnet {

struct Month {
    std::int64_t start = 0;
    std::int64_t end = 0;  // the next month's start
    std::string name;      // YYYY-MM
};

Month month_of(int year, int month);
// The month under way at `unix_seconds`.
Month month_at(std::int64_t unix_seconds);

}  // namespace linnet
