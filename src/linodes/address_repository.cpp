// Statements on ips and address_cursors.
#include "linodes/address_repository.hpp"

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::linodes {

namespace json = boost::json;
using filter::FieldType;

namespace statements {
#define LINNET_ADDRESS_COLUMNS                                                               \
    "address, linode_id, family, kind, public, prefix, gateway, subnet_mask, region, rdns, " \
    "(SELECT label FROM linodes WHERE linodes.id = ips.linode_id) AS linode_label"
constexpr std::string_view columns = LINNET_ADDRESS_COLUMNS;
constexpr std::string_view of_linode =
    "SELECT " LINNET_ADDRESS_COLUMNS " FROM ips WHERE linode_id = ? ORDER BY address";
constexpr std::string_view find = "SELECT " LINNET_ADDRESS_COLUMNS
                                  " FROM ips WHERE address = ? AND EXISTS (SELECT 1 FROM "
                                  "linodes l WHERE l.id = ips.linode_id AND "
                                  "{{account:l.account_id}})";
constexpr std::string_view shared_with =
    "SELECT " LINNET_ADDRESS_COLUMNS
    " FROM ips WHERE address IN (SELECT address FROM ip_shares WHERE linode_id = ?) ORDER BY "
    "address";
#undef LINNET_ADDRESS_COLUMNS
constexpr std::string_view assign = "UPDATE ips SET linode_id = ? WHERE address = ?";
constexpr std::string_view clear_shares = "DELETE FROM ip_shares WHERE linode_id = ?";
constexpr std::string_view add_share =
    "INSERT INTO ip_shares (address, linode_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
constexpr std::string_view is_shared = "SELECT 1 AS found FROM ip_shares WHERE address = ?";
// A Linode has a handful of addresses: they are read by its own index and sorted out here (a
// condition on family would draw the planner to the family index and a scan).
constexpr std::string_view kinds_of =
    "SELECT address, family, public FROM ips WHERE linode_id = ? ORDER BY address";
constexpr std::string_view insert_if_free =
    "INSERT INTO ips (address, linode_id, family, kind, public, prefix, gateway, subnet_mask, "
    "region, rdns, nodebalancer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
    "(address) DO NOTHING";
constexpr std::string_view insert =
    "INSERT INTO ips (address, linode_id, family, kind, public, prefix, gateway, subnet_mask, "
    "region, rdns, nodebalancer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view set_rdns = "UPDATE ips SET rdns = ? WHERE address = ?";
constexpr std::string_view remove = "DELETE FROM ips WHERE address = ?";
constexpr std::string_view move_region = "UPDATE ips SET region = ? WHERE linode_id = ?";
constexpr std::string_view cursor = "SELECT next_offset FROM address_cursors WHERE pool = ?";
// Where writers run side by side, a sequence hands each allocation its own starting point
// (a cursor row would make every create wait for the one before it to commit).
constexpr std::string_view next_offset = "SELECT nextval('address_offsets') AS next_offset";
constexpr std::string_view set_cursor =
    "INSERT INTO address_cursors (pool, next_offset) VALUES (?, ?) ON CONFLICT (pool) DO UPDATE "
    "SET next_offset = excluded.next_offset";
constexpr std::string_view assigned =
    "linode_id IN (SELECT id FROM linodes WHERE {{account}}) AND ";
constexpr std::string_view unshare_linode =
    "DELETE FROM ip_shares WHERE linode_id = ? OR address IN (SELECT address FROM ips WHERE "
    "linode_id = ?)";
}  // namespace statements

namespace {

const filter::Schema kAddresses{{
                                    {"address", "address", FieldType::text},
                                    {"region", "region", FieldType::text},
                                    {"linode_id", "linode_id", FieldType::integer, true},
                                    {"public", "public", FieldType::boolean},
                                },
                                "address"};

Address from_row(const store::Row& r) {
    Address a;
    a.address = r.text("address");
    a.linode_id = r.optional_integer("linode_id");
    a.family = r.text("family");
    a.kind = r.text("kind");
    a.is_public = r.boolean("public");
    a.prefix = r.integer("prefix");
    a.gateway = r.optional_text("gateway");
    a.subnet_mask = r.text("subnet_mask");
    a.region = r.text("region");
    a.rdns = r.optional_text("rdns");
    a.linode_label = r.text("linode_label");
    return a;
}

store::Params values(const Address& a) {
    return {a.address,
            store::or_null(a.linode_id),
            a.family,
            a.kind,
            std::int64_t{a.is_public ? 1 : 0},
            a.prefix,
            store::or_null(a.gateway),
            a.subnet_mask,
            a.region,
            store::or_null(a.rdns),
            store::or_null(a.nodebalancer_id)};
}

}  // namespace

json::object address_doc(const Address& a) {
    const std::int64_t linode_id = a.linode_id.value_or(0);
    json::object doc{{"address", a.address},
                     {"gateway", a.gateway ? json::value(*a.gateway) : json::value(nullptr)},
                     {"subnet_mask", a.subnet_mask},
                     {"prefix", a.prefix},
                     {"type", a.family},
                     {"public", a.is_public},
                     {"rdns", a.rdns ? json::value(*a.rdns) : json::value(nullptr)},
                     {"linode_id", linode_id},
                     {"region", a.region},
                     {"tags", json::array{}}};
    if (a.family == "ipv4") {
        doc["interface_id"] = nullptr;
        doc["vpc_nat_1_1"] = nullptr;
        doc["reserved"] = false;
        doc["assigned_entity"] =
            json::object{{"id", linode_id},
                         {"type", "linode"},
                         {"label", a.linode_label},
                         {"url", "/v4/linode/instances/" + std::to_string(linode_id)}};
    }
    return doc;
}

std::vector<Address> AddressRepository::of_linode(std::int64_t linode_id) {
    std::vector<Address> out;
    for (const auto& row : tx_.query(statements::of_linode, {linode_id}))
        out.push_back(from_row(row));
    return out;
}

std::optional<Address> AddressRepository::find(const std::string& address) {
    auto rows = store::scoped_query(tx_, statements::find, {address});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

void AddressRepository::assign(const std::string& address, std::int64_t linode_id) {
    tx_.write(statements::assign, {linode_id, address});
}

void AddressRepository::set_shared(std::int64_t linode_id,
                                   const std::vector<std::string>& addresses) {
    tx_.write(statements::clear_shares, {linode_id});
    for (const auto& a : addresses) tx_.write(statements::add_share, {a, linode_id});
}

std::vector<Address> AddressRepository::shared_with(std::int64_t linode_id) {
    std::vector<Address> out;
    for (const auto& row : tx_.query(statements::shared_with, {linode_id}))
        out.push_back(from_row(row));
    return out;
}

bool AddressRepository::is_shared(const std::string& address) {
    return !tx_.query(statements::is_shared, {address}).empty();
}

void AddressRepository::read_ahead_first_public_ipv4(std::int64_t linode_id) {
    tx_.read_ahead(statements::kinds_of, {linode_id});
}

std::optional<std::string> AddressRepository::first_public_ipv4(std::int64_t linode_id) {
    for (const auto& row : tx_.query(statements::kinds_of, {linode_id}))
        if (row.text("family") == "ipv4" && row.boolean("public")) return row.text("address");
    return std::nullopt;
}

std::int64_t AddressRepository::count_ipv4(std::int64_t linode_id, bool is_public) {
    std::int64_t n = 0;
    for (const auto& row : tx_.query(statements::kinds_of, {linode_id}))
        if (row.text("family") == "ipv4" && row.boolean("public") == is_public) ++n;
    return n;
}

bool AddressRepository::insert_if_free(const Address& a) {
    return tx_.execute(statements::insert_if_free, values(a)) > 0;
}

void AddressRepository::insert(const Address& a) {
    // Its key is its own (derived from its owner's id): a collision is a failure of the
    // transaction, found with its next statement.
    tx_.write(statements::insert, values(a));
}

void AddressRepository::set_rdns(const std::string& address,
                                 const std::optional<std::string>& rdns) {
    tx_.execute(statements::set_rdns, {store::or_null(rdns), address});
}

void AddressRepository::remove(const std::string& address) {
    tx_.execute(statements::remove, {address});
}

void AddressRepository::move_region(std::int64_t linode_id, const std::string& region) {
    tx_.execute(statements::move_region, {region, linode_id});
}

void AddressRepository::read_ahead_cursor() {
    if (tx_.locks_rows()) tx_.read_ahead_kept(statements::next_offset);
}

std::uint32_t AddressRepository::cursor(const std::string& pool) {
    if (tx_.locks_rows()) {
        auto rows = tx_.take_ahead(statements::next_offset);
        if (!rows) rows = tx_.query(statements::next_offset);
        return static_cast<std::uint32_t>(rows->at(0).integer("next_offset") & 0xffffffff);
    }
    auto rows = tx_.query(statements::cursor, {pool});
    return rows.empty() ? 0 : static_cast<std::uint32_t>(rows.front().integer("next_offset"));
}

void AddressRepository::set_cursor(const std::string& pool, std::uint32_t next_offset) {
    if (tx_.locks_rows()) return;  // the sequence moved on already
    tx_.execute(statements::set_cursor, {pool, std::int64_t{next_offset}});
}

store::Listing AddressRepository::listing(const std::pair<std::string, store::Params>& visible) {
    store::Listing l{"ips", kAddresses, std::string(statements::assigned) + visible.first,
                     visible.second};
    l.columns = std::string(statements::columns);
    l.render = [](const store::Row& row) { return to_json(address_doc(from_row(row))); };
    return l;
}

void AddressRepository::unshare_linode(std::int64_t linode_id) {
    tx_.execute(statements::unshare_linode, {linode_id, linode_id});
}

}  // namespace linnet::linodes
