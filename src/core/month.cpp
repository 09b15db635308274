// Month bounds from the C library's UTC calendar.
#include "core/month.hpp"

#include <cstdio>
#include <ctime>

namespace linnet {

Month month_of(int year, int month) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = 1;
    Month m;
    m.start = static_cast<std::int64_t>(timegm(&tm));
    tm = std::tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month;
    tm.tm_mday = 1;
    m.end = static_cast<std::int64_t>(timegm(&tm));
    char name[16];
    std::snprintf(name, sizeof name, "%04d-%02d", year, month);
    m.name = name;
    return m;
}

Month month_at(std::int64_t unix_seconds) {
    const std::time_t t = unix_seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    return month_of(tm.tm_year + 1900, tm.tm_mon + 1);
}

}  // namespace linnet
