// Statements on billing_usage.
#include "billing/usage_repository.hpp"

namespace linnet::billing {

namespace statements {
constexpr std::string_view columns =
    "id, account_id, entity_type, entity_id, service, plan, label, region, hourly_micros, "
    "monthly_micros, transfer_gb, metered, started, ended";
const std::string running = "SELECT " + std::string(columns) +
                            " FROM billing_usage WHERE entity_type = ? AND entity_id = ? AND "
                            "ended IS NULL ORDER BY id";
constexpr std::string_view open =
    "INSERT INTO billing_usage (account_id, entity_type, entity_id, service, plan, label, "
    "region, hourly_micros, monthly_micros, transfer_gb, metered, started) VALUES (?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view close =
    "UPDATE billing_usage SET ended = ? WHERE id = ? AND ended IS NULL";
const std::string overlapping = "SELECT " + std::string(columns) +
                                " FROM billing_usage WHERE account_id = ? AND started < ? AND "
                                "(ended IS NULL OR ended > ?) ORDER BY started, id";
constexpr std::string_view close_account =
    "UPDATE billing_usage SET ended = ? WHERE account_id = ? AND ended IS NULL";
constexpr std::string_view mark_start =
    "INSERT INTO billing_transfer (account_id, linode_id, month, base_bytes) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (account_id, linode_id, month) DO UPDATE SET final_bytes = NULL";
constexpr std::string_view mark_end =
    "INSERT INTO billing_transfer (account_id, linode_id, month, base_bytes, final_bytes) VALUES "
    "(?, ?, ?, 0, ?) ON CONFLICT (account_id, linode_id, month) DO UPDATE SET final_bytes = "
    "excluded.final_bytes";
constexpr std::string_view mark =
    "SELECT base_bytes, final_bytes FROM billing_transfer WHERE account_id = ? AND linode_id = ? "
    "AND month = ?";
}  // namespace statements

namespace {

UsageLine from_row(const store::Row& r) {
    UsageLine l;
    l.id = r.integer("id");
    l.account_id = r.integer("account_id");
    l.entity_type = r.text("entity_type");
    l.entity_id = r.integer("entity_id");
    l.service = r.text("service");
    l.plan = r.text("plan");
    l.label = r.text("label");
    l.region = r.optional_text("region");
    l.hourly_micros = r.integer("hourly_micros");
    l.monthly_micros = r.integer("monthly_micros");
    l.transfer_gb = r.integer("transfer_gb");
    l.metered = r.boolean("metered");
    l.started = r.integer("started");
    l.ended = r.optional_integer("ended");
    return l;
}

std::vector<UsageLine> lines(const store::Rows& rows) {
    std::vector<UsageLine> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

}  // namespace

std::vector<UsageLine> UsageRepository::running(const std::string& entity_type,
                                                std::int64_t entity_id) {
    return lines(tx_.query(statements::running, {entity_type, entity_id}));
}

void UsageRepository::open(const UsageLine& l) {
    tx_.write(statements::open,
              {l.account_id, l.entity_type, l.entity_id, l.service, l.plan, l.label,
               store::or_null(l.region), l.hourly_micros, l.monthly_micros, l.transfer_gb,
               std::int64_t{l.metered ? 1 : 0}, l.started});
}

void UsageRepository::close(std::int64_t id, std::int64_t at) {
    tx_.execute(statements::close, {at, id});
}

std::vector<UsageLine> UsageRepository::overlapping(std::int64_t account_id, std::int64_t from,
                                                    std::int64_t to) {
    return lines(tx_.query(statements::overlapping, {account_id, to, from}));
}

void UsageRepository::close_account(std::int64_t account_id, std::int64_t at) {
    tx_.execute(statements::close_account, {at, account_id});
}

void UsageRepository::mark_transfer_start(std::int64_t account_id, std::int64_t linode_id,
                                          const std::string& month, std::int64_t bytes) {
    tx_.execute(statements::mark_start, {account_id, linode_id, month, bytes});
}

void UsageRepository::mark_transfer_end(std::int64_t account_id, std::int64_t linode_id,
                                        const std::string& month, std::int64_t bytes) {
    tx_.execute(statements::mark_end, {account_id, linode_id, month, bytes});
}

std::optional<UsageRepository::TransferMark> UsageRepository::transfer_mark(
    std::int64_t account_id, std::int64_t linode_id, const std::string& month) {
    const auto rows = tx_.query(statements::mark, {account_id, linode_id, month});
    if (rows.empty()) return std::nullopt;
    return TransferMark{rows.front().integer("base_bytes"),
                        rows.front().optional_integer("final_bytes")};
}

}  // namespace linnet::billing
