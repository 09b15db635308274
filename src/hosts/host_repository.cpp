// Statements on hosts, host_regions, host_outages, host_migrations and linodes.host_id.
#include "hosts/host_repository.hpp"

namespace linnet::hosts {

namespace statements {
constexpr std::string_view enrol =
    "INSERT INTO hosts (name, node, driver, uuid, vcpus, memory, disk, state, lease_until, "
    "registered) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?) ON CONFLICT (name) DO UPDATE SET "
    "node = excluded.node, driver = excluded.driver, vcpus = excluded.vcpus, memory = "
    "excluded.memory, disk = excluded.disk, lease_until = excluded.lease_until, state = CASE WHEN "
    "hosts.state = 'draining' THEN 'draining' ELSE 'active' END RETURNING id";
constexpr std::string_view clear_regions = "DELETE FROM host_regions WHERE host_id = ?";
constexpr std::string_view add_region =
    "INSERT INTO host_regions (host_id, region) VALUES (?, ?) ON CONFLICT DO NOTHING";
constexpr std::string_view regions_of =
    "SELECT region FROM host_regions WHERE host_id = ? ORDER BY region";
constexpr std::string_view renew = "UPDATE hosts SET lease_until = ? WHERE node = ?";
constexpr std::string_view columns =
    "SELECT id, name, node, driver, uuid, vcpus, memory, disk, memory_used, disk_used, state, "
    "lease_until, 0 AS linodes FROM hosts ";
// The list of hosts counts each one's Linodes; a single host's lookup (a create's, the meter's)
// does not.
constexpr std::string_view listed_columns =
    "SELECT id, name, node, driver, uuid, vcpus, memory, disk, memory_used, disk_used, state, "
    "lease_until, (SELECT COUNT(*) FROM linodes l WHERE l.host_id = hosts.id) AS linodes FROM "
    "hosts ";
constexpr std::string_view find_by_name = "WHERE name = ?";
constexpr std::string_view driver_of = "SELECT driver FROM hosts WHERE id = ?";
constexpr std::string_view find_by_id = "WHERE id = ?";
constexpr std::string_view all = "ORDER BY name";
constexpr std::string_view ids_of_node = "SELECT id FROM hosts WHERE node = ? ORDER BY id";
// Live and active, serving the region (or every region: the row '*'), with room; the emptiest
// first. The region's few hosts are found by the index on host_regions, and each by its key.
constexpr std::string_view roomiest =
    "SELECT h.id, h.name, h.node, h.driver, h.uuid, h.vcpus, h.memory, h.disk, h.memory_used, "
    "h.disk_used, h.state, h.lease_until, 0 AS linodes FROM host_regions c JOIN hosts h ON h.id = "
    "c.host_id WHERE c.region IN (?, '*') AND h.state = 'active' AND h.lease_until > ? AND h.id "
    "<> ? AND h.memory - h.memory_used >= ? AND h.disk - h.disk_used >= ? ";
constexpr std::string_view roomiest_order = "ORDER BY h.memory_used * 1.0 / h.memory, h.id LIMIT 1";
constexpr std::string_view take =
    "UPDATE hosts SET memory_used = memory_used + ?, disk_used = disk_used + ? WHERE id = ?";
constexpr std::string_view set_state = "UPDATE hosts SET state = ? WHERE id = ?";
constexpr std::string_view mark_lost =
    "UPDATE hosts SET state = 'lost' WHERE id = ? AND lease_until < ? AND state <> 'lost'";
constexpr std::string_view expired =
    "SELECT id, name, node, driver, uuid, vcpus, memory, disk, memory_used, disk_used, state, "
    "lease_until, 0 AS linodes FROM hosts WHERE lease_until < ? AND state <> 'lost' ORDER BY id";
constexpr std::string_view not_live_of_others =
    "SELECT id, name, node, driver, uuid, vcpus, memory, disk, memory_used, disk_used, state, "
    "lease_until, 0 AS linodes FROM hosts WHERE node <> ? AND lease_until < ? ORDER BY id";
constexpr std::string_view host_of = "SELECT host_id FROM linodes WHERE id = ?";
constexpr std::string_view hosts_of_vpc =
    "SELECT DISTINCT l.host_id FROM vpc_ips p JOIN linodes l ON l.id = p.linode_id WHERE "
    "p.vpc_id = ? AND p.linode_id <> ? AND l.host_id IS NOT NULL ORDER BY l.host_id";
constexpr std::string_view hosts_of_vlan =
    "SELECT DISTINCT l.host_id FROM config_interfaces i JOIN linodes l ON l.id = i.linode_id "
    "WHERE i.purpose = 'vlan' AND i.label = ? AND l.account_id = ? AND l.region = ? AND l.id <> "
    "? AND l.host_id IS NOT NULL ORDER BY l.host_id";
constexpr std::string_view place = "UPDATE linodes SET host_id = ? WHERE id = ?";
constexpr std::string_view placed =
    "SELECT l.id AS linode_id, l.region, l.status, t.memory, t.disk FROM linodes l JOIN "
    "linode_types t ON t.id = l.type ";
constexpr std::string_view placed_on = "WHERE l.host_id = ? ORDER BY l.id";
constexpr std::string_view unplaced = "WHERE l.host_id IS NULL ORDER BY l.id";
constexpr std::string_view linodes_of_node =
    "SELECT l.id FROM linodes l JOIN hosts h ON h.id = l.host_id WHERE h.node = ? AND l.status "
    "= ? ORDER BY l.id";
constexpr std::string_view record_outage =
    "INSERT INTO host_outages (linode_id, host_id, status) VALUES (?, ?, ?) ON CONFLICT "
    "(linode_id) DO NOTHING";
constexpr std::string_view outages_of_node =
    "SELECT o.linode_id, o.status FROM host_outages o JOIN hosts h ON h.id = o.host_id WHERE "
    "h.node = ? ORDER BY o.linode_id";
constexpr std::string_view end_outage = "DELETE FROM host_outages WHERE linode_id = ?";
constexpr std::string_view schedule_migration =
    "INSERT INTO host_migrations (linode_id, from_host, status, scheduled) VALUES (?, ?, "
    "'scheduled', ?)";
constexpr std::string_view migrations_scheduled =
    "SELECT COUNT(*) AS n FROM host_migrations WHERE from_host = ? AND status = 'scheduled'";
}  // namespace statements

namespace {

// The host_regions row of a host that serves every region.
constexpr std::string_view kEveryRegion = "*";

Host from_row(const store::Row& r) {
    Host h;
    h.id = r.integer("id");
    h.name = r.text("name");
    h.node = r.text("node");
    h.driver = r.text("driver");
    h.uuid = r.text("uuid");
    h.vcpus = r.integer("vcpus");
    h.memory = r.integer("memory");
    h.disk = r.integer("disk");
    h.memory_used = r.integer("memory_used");
    h.disk_used = r.integer("disk_used");
    h.state = r.text("state");
    h.lease_until = r.integer("lease_until");
    h.linodes = r.integer("linodes");
    return h;
}

std::vector<Placed> placed_of(const store::Rows& rows) {
    std::vector<Placed> out;
    for (const auto& r : rows)
        out.push_back({r.integer("linode_id"), r.text("region"), r.text("status"),
                       r.integer("memory"), r.integer("disk")});
    return out;
}

std::string with(std::string_view head, std::string_view tail) {
    std::string sql(head);
    sql += tail;
    return sql;
}

}  // namespace

std::int64_t HostRepository::enrol(const Host& h, const std::string& registered) {
    const std::int64_t id =
        tx_.query(statements::enrol, {h.name, h.node, h.driver, h.uuid, h.vcpus, h.memory, h.disk,
                                      h.lease_until, registered})
            .at(0)
            .integer("id");
    tx_.execute(statements::clear_regions, {id});
    for (const auto& region : h.regions) tx_.execute(statements::add_region, {id, region});
    if (h.regions.empty()) tx_.execute(statements::add_region, {id, std::string(kEveryRegion)});
    return id;
}

std::int64_t HostRepository::renew(const std::string& node, std::int64_t lease_until_ms) {
    return tx_.execute(statements::renew, {lease_until_ms, node});
}

std::vector<std::string> HostRepository::regions_of(std::int64_t host_id) {
    std::vector<std::string> out;
    for (const auto& r : tx_.query(statements::regions_of, {host_id}))
        if (r.text("region") != kEveryRegion) out.push_back(r.text("region"));
    return out;
}

std::optional<Host> HostRepository::find(const std::string& name) {
    auto rows = tx_.query(with(statements::columns, statements::find_by_name), {name});
    if (rows.empty()) return std::nullopt;
    Host h = from_row(rows.front());
    h.regions = regions_of(h.id);
    return h;
}

void HostRepository::read_ahead_driver_of(std::int64_t id) {
    tx_.read_ahead(statements::driver_of, {id});
}

std::optional<std::string> HostRepository::driver_of(std::int64_t id) {
    auto rows = tx_.query(statements::driver_of, {id});
    if (rows.empty()) return std::nullopt;
    return rows.front().text("driver");
}

std::optional<Host> HostRepository::find(std::int64_t id) {
    auto rows = tx_.query(with(statements::columns, statements::find_by_id), {id});
    if (rows.empty()) return std::nullopt;
    Host h = from_row(rows.front());
    h.regions = regions_of(h.id);
    return h;
}

std::vector<Host> HostRepository::all() {
    std::vector<Host> out;
    for (const auto& r : tx_.query(with(statements::listed_columns, statements::all))) {
        out.push_back(from_row(r));
        out.back().regions = regions_of(out.back().id);
    }
    return out;
}

std::vector<std::int64_t> HostRepository::ids_of_node(const std::string& node) {
    std::vector<std::int64_t> out;
    for (const auto& r : tx_.query(statements::ids_of_node, {node})) out.push_back(r.integer("id"));
    return out;
}

std::optional<Host> HostRepository::roomiest(const std::string& region, std::int64_t memory,
                                             std::int64_t disk, std::int64_t now_ms,
                                             std::int64_t except) {
    return roomiest_of(region, memory, disk, now_ms, {except, {}, std::nullopt});
}

std::optional<Host> HostRepository::roomiest_of(const std::string& region, std::int64_t memory,
                                                std::int64_t disk, std::int64_t now_ms,
                                                const Choice& choice) {
    store::Params params{region, now_ms, choice.except, memory, disk};
    std::string sql(statements::roomiest);
    for (const auto host : choice.avoid) {
        sql += "AND h.id <> ? ";
        params.emplace_back(host);
    }
    if (choice.only) {
        sql += "AND h.id = ? ";
        params.emplace_back(*choice.only);
    }
    sql += statements::roomiest_order;
    if (!choice.lock) {
        auto rows = tx_.query_by_index(sql, params);
        if (rows.empty()) return std::nullopt;
        return from_row(rows.front());
    }
    auto rows = tx_.query_by_index(store::locking(tx_, sql, " OF h SKIP LOCKED"), params);
    if (rows.empty() && tx_.locks_rows())
        rows = tx_.query_by_index(store::locking(tx_, sql, " OF h"), params);
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

void HostRepository::take(std::int64_t host_id, std::int64_t memory, std::int64_t disk) {
    tx_.write(statements::take, {memory, disk, host_id});
}

void HostRepository::set_state(std::int64_t host_id, const std::string& state) {
    tx_.execute(statements::set_state, {state, host_id});
}

void HostRepository::lock_in_order(const std::vector<std::int64_t>& host_ids) {
    if (!tx_.locks_rows() || host_ids.empty()) return;
    store::Params params;
    const std::string marks = store::placeholders(host_ids, params);
    tx_.query(store::locking(tx_, "SELECT id FROM hosts WHERE id IN (" + marks + ") ORDER BY id"),
              params);
}

bool HostRepository::mark_lost(std::int64_t host_id, std::int64_t now_ms) {
    return tx_.execute(statements::mark_lost, {host_id, now_ms}) == 1;
}

std::vector<Host> HostRepository::expired(std::int64_t now_ms) {
    std::vector<Host> out;
    for (const auto& r : tx_.query(statements::expired, {now_ms})) out.push_back(from_row(r));
    return out;
}

std::vector<Host> HostRepository::not_live_of_others(const std::string& node, std::int64_t now_ms) {
    std::vector<Host> out;
    for (const auto& r : tx_.query(statements::not_live_of_others, {node, now_ms}))
        out.push_back(from_row(r));
    return out;
}

std::vector<std::int64_t> HostRepository::hosts_of_vpc(std::int64_t vpc_id, std::int64_t except) {
    std::vector<std::int64_t> out;
    for (const auto& row : tx_.query(statements::hosts_of_vpc, {vpc_id, except}))
        out.push_back(row.integer("host_id"));
    return out;
}

std::vector<std::int64_t> HostRepository::hosts_of_vlan(std::int64_t account_id,
                                                        const std::string& region,
                                                        const std::string& label,
                                                        std::int64_t except) {
    std::vector<std::int64_t> out;
    for (const auto& row :
         tx_.query(statements::hosts_of_vlan, {label, account_id, region, except}))
        out.push_back(row.integer("host_id"));
    return out;
}

std::optional<std::int64_t> HostRepository::host_of(std::int64_t linode_id) {
    auto rows = tx_.query(statements::host_of, {linode_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().optional_integer("host_id");
}

void HostRepository::place(std::int64_t linode_id, std::int64_t host_id) {
    tx_.execute(statements::place, {host_id, linode_id});
}

std::vector<Placed> HostRepository::placed_on(std::int64_t host_id) {
    return placed_of(tx_.query(with(statements::placed, statements::placed_on), {host_id}));
}

std::vector<Placed> HostRepository::unplaced() {
    return placed_of(tx_.query(with(statements::placed, statements::unplaced)));
}

std::vector<std::int64_t> HostRepository::linodes_of_node(const std::string& node,
                                                          const std::string& status) {
    std::vector<std::int64_t> out;
    for (const auto& r : tx_.query(statements::linodes_of_node, {node, status}))
        out.push_back(r.integer("id"));
    return out;
}

void HostRepository::record_outage(std::int64_t linode_id, std::int64_t host_id,
                                   const std::string& status) {
    tx_.execute(statements::record_outage, {linode_id, host_id, status});
}

std::vector<Outage> HostRepository::end_outages(const std::string& node) {
    std::vector<Outage> out;
    for (const auto& r : tx_.query(statements::outages_of_node, {node})) {
        out.push_back({r.integer("linode_id"), r.text("status")});
        tx_.execute(statements::end_outage, {out.back().linode_id});
    }
    return out;
}

void HostRepository::schedule_migration(std::int64_t linode_id, std::int64_t from_host,
                                        const std::string& scheduled) {
    tx_.execute(statements::schedule_migration, {linode_id, from_host, scheduled});
}

std::int64_t HostRepository::migrations_scheduled(std::int64_t host_id) {
    return tx_.query(statements::migrations_scheduled, {host_id}).at(0).integer("n");
}

}  // namespace linnet::hosts
