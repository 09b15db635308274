// Statements on ipv6_ranges, and how a range is named.
#include "linodes/ipv6_range_repository.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "linodes/address_repository.hpp"
#include "store/scoped.hpp"

namespace linnet::linodes {

namespace json = boost::json;

namespace statements {
#define LINNET_RANGE_COLUMNS                                                                     \
    "r.address, r.prefix, r.region, r.linode_id, r.created, (SELECT a.address FROM ips a WHERE " \
    "a.linode_id = r.linode_id AND a.kind = 'slaac') AS route_target"
constexpr std::string_view columns = LINNET_RANGE_COLUMNS;
constexpr std::string_view find =
    "SELECT " LINNET_RANGE_COLUMNS
    " FROM ipv6_ranges r WHERE r.address = ? AND r.linode_id IN (SELECT id FROM linodes WHERE "
    "{{account}})";
constexpr std::string_view of_linode =
    "SELECT " LINNET_RANGE_COLUMNS " FROM ipv6_ranges r WHERE r.linode_id = ? ORDER BY r.address";
#undef LINNET_RANGE_COLUMNS
constexpr std::string_view insert_if_free =
    "INSERT INTO ipv6_ranges (address, prefix, region, linode_id, created) VALUES (?, ?, ?, ?, "
    "?) ON CONFLICT (address) DO NOTHING";
constexpr std::string_view remove =
    "DELETE FROM ipv6_ranges WHERE address = ? AND linode_id IN (SELECT id FROM linodes WHERE "
    "{{account}})";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kRanges{
    {{"range", "r.address", FieldType::text}, {"region", "r.region", FieldType::text}},
    "r.address"};

Ipv6Range from_row(const store::Row& row) {
    return {row.text("address"),
            row.integer("prefix"),
            row.text("region"),
            row.integer("linode_id"),
            row.optional_text("route_target").value_or(""),
            row.text("created")};
}

// How many ranges of each size the pools hold.
constexpr std::uint32_t kPoolSize = 1u << 14;

}  // namespace

std::string range_address(std::int64_t prefix, std::uint32_t index) {
    char out[64];
    if (prefix == 64)
        std::snprintf(out, sizeof out, "2001:db8:%x:%x::", 0x8000u + (index >> 16),
                      index & 0xffffu);
    else
        std::snprintf(out, sizeof out, "2001:db8:%x:%x::", 0xc000u + (index >> 8),
                      (index & 0xffu) << 8);
    return out;
}

Ipv6Range Ipv6RangeRepository::allocate(std::int64_t linode_id, const std::string& region,
                                        std::int64_t prefix) {
    AddressRepository addresses(tx_);
    const std::string pool = "ipv6/" + std::to_string(prefix);
    const bool draws = tx_.locks_rows();
    std::uint32_t index = addresses.cursor(pool) % kPoolSize;
    const auto now = now_utc();
    for (std::uint32_t tried = 0; tried < kPoolSize; ++tried) {
        if (tried > 0) index = draws ? addresses.cursor(pool) % kPoolSize : (index + 1) % kPoolSize;
        // The first /64 is not handed out: 2001:db8:8000:: stays the pool's own name.
        if (index == 0) continue;
        Ipv6Range r{range_address(prefix, index), prefix, region, linode_id, "", now};
        if (tx_.execute(statements::insert_if_free,
                        {r.address, r.prefix, r.region, r.linode_id, r.created}) == 0)
            continue;
        addresses.set_cursor(pool, index + 1);
        return r;
    }
    throw errors::bad_request("No IPv6 ranges are available in this region.", "prefix_length");
}

std::optional<Ipv6Range> Ipv6RangeRepository::find(const std::string& address) {
    auto rows = store::scoped_query(tx_, statements::find, {address});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

std::vector<Ipv6Range> Ipv6RangeRepository::of_linode(std::int64_t linode_id) {
    std::vector<Ipv6Range> out;
    for (const auto& row : tx_.query(statements::of_linode, {linode_id}))
        out.push_back(from_row(row));
    return out;
}

void Ipv6RangeRepository::remove(const std::string& address) {
    store::scoped_execute(tx_, statements::remove, {address});
}

store::Listing Ipv6RangeRepository::listing(const std::pair<std::string, store::Params>& visible) {
    store::Listing l{
        "ipv6_ranges r", kRanges,
        "r.linode_id IN (SELECT id FROM linodes WHERE {{account}}) AND (" + visible.first + ")",
        visible.second};
    l.columns = std::string(statements::columns);
    l.render = [](const store::Row& row) {
        const auto r = from_row(row);
        return to_json(json::object{{"range", r.address},
                                    {"prefix", r.prefix},
                                    {"region", r.region},
                                    {"route_target", r.route_target}});
    };
    return l;
}

json::object range_doc(const Ipv6Range& r) {
    return json::object{{"range", r.address},
                        {"prefix", r.prefix},
                        {"region", r.region},
                        {"route_target", r.route_target}};
}

}  // namespace linnet::linodes
