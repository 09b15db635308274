// Statements on linode_stats and linode_transfer.
#include "stats/usage_repository.hpp"

namespace linnet::stats {

namespace statements {
constexpr std::string_view add =
    "INSERT INTO linode_stats (linode_id, at, seconds, cpu_seconds, io_bytes, swap_bytes, "
    "net_in, net_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (linode_id, at) DO UPDATE SET "
    "seconds = linode_stats.seconds + excluded.seconds, cpu_seconds = linode_stats.cpu_seconds + "
    "excluded.cpu_seconds, io_bytes = linode_stats.io_bytes + excluded.io_bytes, swap_bytes = "
    "linode_stats.swap_bytes + excluded.swap_bytes, net_in = linode_stats.net_in + "
    "excluded.net_in, net_out = linode_stats.net_out + excluded.net_out";
constexpr std::string_view add_transfer =
    "INSERT INTO linode_transfer (linode_id, month, bytes_in, bytes_out) VALUES (?, ?, ?, ?) ON "
    "CONFLICT (linode_id, month) DO UPDATE SET bytes_in = linode_transfer.bytes_in + "
    "excluded.bytes_in, bytes_out = linode_transfer.bytes_out + excluded.bytes_out";
constexpr std::string_view between =
    "SELECT at - at % ? AS step, SUM(seconds) AS seconds, SUM(cpu_seconds) AS cpu_seconds, "
    "SUM(io_bytes) AS io_bytes, SUM(swap_bytes) AS swap_bytes, SUM(net_in) AS net_in, "
    "SUM(net_out) AS net_out FROM linode_stats WHERE linode_id = ? AND at >= ? AND at < ? "
    "GROUP BY step ORDER BY step";
constexpr std::string_view transfer =
    "SELECT bytes_in, bytes_out FROM linode_transfer WHERE linode_id = ? AND month = ?";
constexpr std::string_view forget = "DELETE FROM linode_stats WHERE at < ?";
}  // namespace statements

void UsageRepository::add(std::int64_t linode_id, const Usage& u, const std::string& month) {
    tx_.execute(statements::add, {linode_id, u.at, u.seconds, u.cpu_seconds, u.io_bytes,
                                  u.swap_bytes, u.net_in, u.net_out});
    if (u.net_in > 0 || u.net_out > 0)
        tx_.execute(statements::add_transfer,
                    {linode_id, month, static_cast<std::int64_t>(u.net_in),
                     static_cast<std::int64_t>(u.net_out)});
}

std::vector<Usage> UsageRepository::between(std::int64_t linode_id, std::int64_t from,
                                            std::int64_t to, std::int64_t step) {
    std::vector<Usage> out;
    for (const auto& row : tx_.query(statements::between, {step, linode_id, from, to}))
        out.push_back({row.integer("step"), row.real("seconds"), row.real("cpu_seconds"),
                       row.real("io_bytes"), row.real("swap_bytes"), row.real("net_in"),
                       row.real("net_out")});
    return out;
}

Transfer UsageRepository::transfer(std::int64_t linode_id, const std::string& month) {
    auto rows = tx_.query(statements::transfer, {linode_id, month});
    if (rows.empty()) return {};
    return {rows.front().integer("bytes_in"), rows.front().integer("bytes_out")};
}

std::int64_t UsageRepository::forget_before(std::int64_t before) {
    return tx_.execute(statements::forget, {before});
}

}  // namespace linnet::stats
