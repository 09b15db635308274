// UTC timestamps in the API's format.
#include "core/time.hpp"

#include "core/clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace linnet {

std::int64_t unix_now() {
    return clock::unix_seconds();
}

std::string format_time(std::int64_t unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string now_utc() {
    return format_time(unix_now());
}

std::optional<std::int64_t> parse_time(std::string_view text) {
    int y, mo, d, h, mi, s;
    int consumed = 0;
    std::string copy(text);
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                    &consumed) != 6)
        return std::nullopt;
    std::string_view rest = text.substr(static_cast<std::size_t>(consumed));
    if (!rest.empty() && rest.front() == '.') {
        std::size_t i = 1;
        while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
        rest.remove_prefix(i);
    }
    if (!(rest.empty() || rest == "Z" || rest == "+00:00")) return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    const auto seconds = static_cast<std::int64_t>(timegm(&tm));
    // timegm rolls "02-30" over into March; a date that does not exist is not a date.
    if (format_time(seconds).substr(0, 10) != copy.substr(0, 10)) return std::nullopt;
    return seconds;
}

}  // namespace linnet
