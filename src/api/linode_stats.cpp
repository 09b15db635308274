// A Linode's statistics and network transfer: /stats (the past 24 hours in five-minute steps),
// /stats/{year}/{month} (a month, or the past 30 days for the current one, in hourly steps),
// /transfer (this month: the plan's quota, bytes sent, what is past the quota) and
// /transfer/{year}/{month} (bytes in, out and both). A qemu Linode's figures are what its host
// measured; a sim Linode's are generated (the same on every read).
#include <boost/json.hpp>
#include <charconv>
#include <ctime>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/month.hpp"
#include "core/time.hpp"
#include "hosts/host_repository.hpp"
#include "stats/linode_usage.hpp"
#include "stats/series.hpp"
#include "stats/usage_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

// The month the path names: 2000-2037, 1-12, not after the current one.
Month asked_month(http::Context& ctx, std::int64_t now) {
    auto number = [&](const char* name, int low, int high) {
        const std::string text = ctx.param(name);
        int value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high)
            throw errors::bad_request(std::string(name) + " must be a number from " +
                                          std::to_string(low) + " to " + std::to_string(high),
                                      name);
        return value;
    };
    const Month m = month_of(number("year", 2000, 2037), number("month", 1, 12));
    if (m.start > now)
        throw errors::bad_request("Statistics are kept for the current month and earlier ones",
                                  "month");
    return m;
}

std::vector<stats::Usage> usage(http::Context& ctx, const linodes::Instance& linode,
                                std::int64_t from, std::int64_t to, std::int64_t step) {
    return stats::linode_usage(ctx.tx(), linode, from, to, step);
}

stats::Transfer transfer_in(http::Context& ctx, const linodes::Instance& linode, const Month& month,
                            std::int64_t now) {
    return stats::linode_transfer(ctx.tx(), linode, month, now);
}

std::string title(const linodes::Instance& linode, const char* span) {
    return "linode.com - " + linode.label + " (linode" + std::to_string(linode.id) + ") - " + span;
}

http::Response day(http::Context& ctx) {
    const auto linode = linode_of(ctx);
    const std::int64_t now = clock::unix_seconds();
    const auto steps = usage(ctx, linode, now - 86400, now, stats::kBucketSeconds);
    return http::Response::json(to_json(stats::document(steps, title(linode, "day (5 min avg)"))));
}

http::Response month(http::Context& ctx) {
    const auto linode = linode_of(ctx);
    const std::int64_t now = clock::unix_seconds();
    Month m = asked_month(ctx, now);
    // The current month: the past 30 days.
    if (m.end > now) {
        m.start = now - 30 * 86400;
        m.end = now;
    }
    const auto steps = usage(ctx, linode, m.start, m.end, 3600);
    return http::Response::json(
        to_json(stats::document(steps, title(linode, "month (1 hour avg)"))));
}

http::Response transfer(http::Context& ctx) {
    const auto linode = linode_of(ctx);
    const std::int64_t now = clock::unix_seconds();
    const auto used = transfer_in(ctx, linode, month_at(now), now);
    const auto& specs = linode.settings.at("specs").as_object();
    const std::int64_t quota =
        specs.contains("transfer") ? specs.at("transfer").to_number<std::int64_t>() : 0;
    // Outbound traffic is what counts against the pool.
    const std::int64_t used_gb = used.bytes_out >> 30;
    return http::Response::json(
        to_json(json::object{{"billable", std::max<std::int64_t>(0, used_gb - quota)},
                             {"quota", quota},
                             {"used", used.bytes_out}}));
}

http::Response transfer_month(http::Context& ctx) {
    const auto linode = linode_of(ctx);
    const std::int64_t now = clock::unix_seconds();
    const auto t = transfer_in(ctx, linode, asked_month(ctx, now), now);
    return http::Response::json(to_json(json::object{{"bytes_in", t.bytes_in},
                                                     {"bytes_out", t.bytes_out},
                                                     {"bytes_total", t.bytes_in + t.bytes_out}}));
}

}  // namespace

void register_linode_stats(http::Router& router) {
    const auto ro = auth::Requirement::of("linodes:read_only");
    const std::string base = "/linode/instances/{linodeId}";
    router.add("GET", base + "/stats", "get-linode-stats", ro, day);
    router.add("GET", base + "/stats/{year}/{month}", "get-linode-stats-by-year-month", ro, month);
    router.add("GET", base + "/transfer", "get-linode-transfer", ro, transfer);
    router.add("GET", base + "/transfer/{year}/{month}", "get-linode-transfer-by-year-month", ro,
               transfer_month);
}

}  // namespace linnet::api
