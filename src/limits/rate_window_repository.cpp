// Statements on the rate_windows table.
#include "limits/rate_window_repository.hpp"

#include <algorithm>

namespace linnet::limits {

namespace statements {
// One atomic statement on both engines: a new row, a window that ended and starts over, or a
// grant of what is left of the quota (at most the batch); when nothing is left the WHERE keeps
// the row as it was and nothing is returned.
constexpr std::string_view grant =
    "INSERT INTO rate_windows (limit_key, identity, window_start, window_end, quota, granted, "
    "lease) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (limit_key, identity) DO UPDATE SET "
    "window_start = CASE WHEN rate_windows.window_end <= excluded.window_start "
    "THEN excluded.window_start ELSE rate_windows.window_start END, "
    "window_end = CASE WHEN rate_windows.window_end <= excluded.window_start "
    "THEN excluded.window_end ELSE rate_windows.window_end END, "
    "quota = excluded.quota, "
    "lease = CASE WHEN rate_windows.window_end <= excluded.window_start THEN excluded.lease "
    "WHEN rate_windows.granted + excluded.lease > excluded.quota "
    "THEN excluded.quota - rate_windows.granted ELSE excluded.lease END, "
    "granted = CASE WHEN rate_windows.window_end <= excluded.window_start THEN excluded.lease "
    "WHEN rate_windows.granted + excluded.lease > excluded.quota THEN excluded.quota "
    "ELSE rate_windows.granted + excluded.lease END "
    "WHERE rate_windows.window_end <= excluded.window_start "
    "OR rate_windows.granted < excluded.quota "
    "RETURNING window_start, window_end, granted, lease";
constexpr std::string_view find =
    "SELECT window_start, window_end, granted FROM rate_windows WHERE limit_key = ? AND "
    "identity = ?";
constexpr std::string_view sweep = "DELETE FROM rate_windows WHERE window_end < ?";
}  // namespace statements

namespace {

RateWindow from_row(const store::Row& r, bool granted_now) {
    RateWindow w;
    w.start = r.integer("window_start");
    w.end = r.integer("window_end");
    w.granted = static_cast<int>(r.integer("granted"));
    w.lease = granted_now ? static_cast<int>(r.integer("lease")) : 0;
    return w;
}

}  // namespace

RateWindow RateWindowRepository::grant(const std::string& limit_key, const std::string& identity,
                                       int quota, int batch, std::int64_t now,
                                       std::int64_t seconds) {
    const std::int64_t lease = std::clamp(batch, 1, quota);
    auto rows = tx_.query(statements::grant, {limit_key, identity, now, now + seconds,
                                              std::int64_t{quota}, lease, lease});
    if (!rows.empty()) return from_row(rows.front(), true);
    // Nothing was left: the window as it stands says when it starts over.
    if (auto current = find(limit_key, identity)) return *current;
    return RateWindow{now, now + seconds, quota, 0};
}

std::optional<RateWindow> RateWindowRepository::find(const std::string& limit_key,
                                                     const std::string& identity) {
    auto rows = tx_.query(statements::find, {limit_key, identity});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front(), false);
}

std::int64_t RateWindowRepository::sweep(std::int64_t before) {
    return tx_.execute(statements::sweep, {before});
}

}  // namespace linnet::limits
