// Statements on nodebalancers, nodebalancer_tags, nodebalancer_configs, nodebalancer_nodes and
// nodebalancer_stats (and a NodeBalancer's rows of ips), and their documents.
#include "nodebalancers/nodebalancer_repository.hpp"

#include <ctime>
#include <set>

#include "core/json.hpp"
#include "core/time.hpp"
#include "firewalls/firewall_repository.hpp"
#include "store/scoped.hpp"

namespace linnet::nodebalancers {

namespace json = boost::json;

namespace statements {
#define LINNET_NB_COLUMNS                                                                      \
    "id, account_id, label, region, host_id, client_conn_throttle, created, updated, (SELECT " \
    "a.address FROM ips a WHERE a.nodebalancer_id = nodebalancers.id AND a.family = 'ipv4') "  \
    "AS ipv4, (SELECT a.address FROM ips a WHERE a.nodebalancer_id = nodebalancers.id AND "    \
    "a.family = 'ipv6') AS ipv6"
constexpr std::string_view columns = LINNET_NB_COLUMNS;
constexpr std::string_view find_in_account =
    "SELECT " LINNET_NB_COLUMNS " FROM nodebalancers WHERE id = ? AND {{account}}";
#undef LINNET_NB_COLUMNS
constexpr std::string_view insert =
    "INSERT INTO nodebalancers (account_id, label, region, host_id, client_conn_throttle, "
    "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view tags_of =
    "SELECT tag FROM nodebalancer_tags WHERE nodebalancer_id = ? ORDER BY position, tag";
constexpr std::string_view save =
    "UPDATE nodebalancers SET label = ?, client_conn_throttle = ?, updated = ? WHERE id = ? AND "
    "{{account}}";
constexpr std::string_view clear_tags = "DELETE FROM nodebalancer_tags WHERE nodebalancer_id = ?";
constexpr std::string_view add_tag =
    "INSERT INTO nodebalancer_tags (nodebalancer_id, tag, position) VALUES (?, ?, ?) ON CONFLICT "
    "DO NOTHING";
constexpr std::string_view remove = "DELETE FROM nodebalancers WHERE id = ? AND {{account}}";
constexpr std::string_view label_taken =
    "SELECT 1 AS found FROM nodebalancers WHERE label = ? AND id <> ? AND {{account}}";
constexpr std::string_view names =
    "SELECT id, label FROM nodebalancers WHERE {{account}} ORDER BY id";
constexpr std::string_view tagged_with =
    "SELECT id FROM nodebalancers WHERE id IN (SELECT nodebalancer_id FROM nodebalancer_tags "
    "WHERE tag = ?) AND {{account}} ORDER BY id";
constexpr std::string_view tagged =
    "id IN (SELECT nodebalancer_id FROM nodebalancer_tags WHERE tag = ?) AND ";
// A Linode's NodeBalancers: those with a node at one of its private addresses.
constexpr std::string_view of_linode =
    "id IN (SELECT c.nodebalancer_id FROM nodebalancer_configs c JOIN nodebalancer_nodes n ON "
    "n.config_id = c.id JOIN ips a ON a.linode_id = ? AND a.kind = 'private' AND n.address LIKE "
    "a.address || ':%') AND ";

constexpr std::string_view serves_linode =
    "SELECT 1 AS found FROM nodebalancer_nodes n JOIN ips a ON a.linode_id = ? AND a.kind = "
    "'private' AND n.address LIKE a.address || ':%' LIMIT 1";
constexpr std::string_view config_columns =
    "c.id, c.nodebalancer_id, c.port, c.protocol, c.algorithm, c.stickiness, c.check_type, "
    "c.check_interval, c.check_timeout, c.check_attempts, c.check_path, c.check_body, "
    "c.check_passive, c.proxy_protocol, c.cipher_suite, c.ssl_cert, c.ssl_key, c.ssl_commonname, "
    "c.ssl_fingerprint, (SELECT COUNT(*) FROM nodebalancer_nodes n WHERE n.config_id = c.id AND "
    "n.status = 'UP') AS nodes_up, (SELECT COUNT(*) FROM nodebalancer_nodes n WHERE n.config_id "
    "= c.id AND n.status <> 'UP') AS nodes_down";
constexpr std::string_view config_scope =
    " FROM nodebalancer_configs c WHERE c.nodebalancer_id IN (SELECT id FROM nodebalancers WHERE "
    "{{account}}) ";
constexpr std::string_view insert_config =
    "INSERT INTO nodebalancer_configs (nodebalancer_id, port, protocol, algorithm, stickiness, "
    "check_type, check_interval, check_timeout, check_attempts, check_path, check_body, "
    "check_passive, proxy_protocol, cipher_suite, ssl_cert, ssl_key, ssl_commonname, "
    "ssl_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view save_config =
    "UPDATE nodebalancer_configs SET port = ?, protocol = ?, algorithm = ?, stickiness = ?, "
    "check_type = ?, check_interval = ?, check_timeout = ?, check_attempts = ?, check_path = ?, "
    "check_body = ?, check_passive = ?, proxy_protocol = ?, cipher_suite = ?, ssl_cert = ?, "
    "ssl_key = ?, ssl_commonname = ?, ssl_fingerprint = ? WHERE id = ? AND nodebalancer_id IN "
    "(SELECT id FROM nodebalancers WHERE {{account}})";
constexpr std::string_view remove_config =
    "DELETE FROM nodebalancer_configs WHERE id = ? AND nodebalancer_id IN (SELECT id FROM "
    "nodebalancers WHERE {{account}})";
constexpr std::string_view port_taken =
    "SELECT 1 AS found FROM nodebalancer_configs WHERE nodebalancer_id = ? AND port = ? AND id "
    "<> ?";

constexpr std::string_view node_columns =
    "n.id, n.config_id, c.nodebalancer_id, n.label, n.address, n.weight, n.mode, n.status";
constexpr std::string_view node_scope =
    " FROM nodebalancer_nodes n JOIN nodebalancer_configs c ON c.id = n.config_id WHERE "
    "c.nodebalancer_id IN (SELECT id FROM nodebalancers WHERE {{account}}) ";
constexpr std::string_view insert_node =
    "INSERT INTO nodebalancer_nodes (config_id, label, address, weight, mode, status) VALUES (?, "
    "?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view save_node =
    "UPDATE nodebalancer_nodes SET label = ?, address = ?, weight = ?, mode = ?, status = ? "
    "WHERE id = ? AND config_id IN (SELECT c.id FROM nodebalancer_configs c JOIN nodebalancers "
    "b ON b.id = c.nodebalancer_id WHERE {{account:b.account_id}})";
constexpr std::string_view remove_node =
    "DELETE FROM nodebalancer_nodes WHERE id = ? AND config_id IN (SELECT c.id FROM "
    "nodebalancer_configs c JOIN nodebalancers b ON b.id = c.nodebalancer_id WHERE "
    "{{account:b.account_id}})";
constexpr std::string_view address_taken =
    "SELECT 1 AS found FROM nodebalancer_nodes WHERE config_id = ? AND address = ? AND id <> ?";
constexpr std::string_view private_linode_address =
    "SELECT 1 AS found FROM ips a JOIN linodes l ON l.id = a.linode_id WHERE a.address = ? AND "
    "a.kind = 'private' AND a.region = ? AND {{account:l.account_id}}";

// What a node's load balancer serves.
constexpr std::string_view served_balancers =
    "SELECT b.id, b.account_id, b.client_conn_throttle, (SELECT a.address FROM ips a WHERE "
    "a.nodebalancer_id = b.id AND a.family = 'ipv4') AS ipv4 FROM nodebalancers b JOIN hosts h "
    "ON h.id = b.host_id WHERE h.node = ? ORDER BY b.id";
constexpr std::string_view served_configs =
    " FROM nodebalancer_configs c JOIN nodebalancers b ON b.id = c.nodebalancer_id JOIN hosts h "
    "ON h.id = b.host_id WHERE h.node = ? ORDER BY c.nodebalancer_id, c.port";
constexpr std::string_view served_nodes =
    "SELECT n.id, n.config_id, n.address, n.weight, n.mode FROM nodebalancer_nodes n JOIN "
    "nodebalancer_configs c ON c.id = n.config_id JOIN nodebalancers b ON b.id = "
    "c.nodebalancer_id JOIN hosts h ON h.id = b.host_id WHERE h.node = ? ORDER BY n.id";
// Where each private address of a Linode is reached: its first public IPv4.
constexpr std::string_view reached_at =
    "SELECT pv.address AS private_address, l.account_id, (SELECT MIN(p.address) FROM ips p WHERE "
    "p.linode_id = l.id AND p.family = 'ipv4' AND p.kind = 'public') AS public_address FROM ips "
    "pv JOIN linodes l ON l.id = pv.linode_id WHERE pv.kind = 'private' AND pv.address IN (";
constexpr std::string_view served_firewalls =
    "SELECT d.nodebalancer_id, r.rules FROM firewall_devices d JOIN firewalls f ON f.id = "
    "d.firewall_id JOIN firewall_rules r ON r.firewall_id = f.id AND r.version = "
    "f.rules_version JOIN nodebalancers b ON b.id = d.nodebalancer_id JOIN hosts h ON h.id = "
    "b.host_id WHERE f.status = 'enabled' AND h.node = ? ORDER BY d.nodebalancer_id, f.id";
constexpr std::string_view status_of = "SELECT status FROM nodebalancer_nodes WHERE id = ?";
constexpr std::string_view set_status = "UPDATE nodebalancer_nodes SET status = ? WHERE id = ?";
constexpr std::string_view add_sample =
    "INSERT INTO nodebalancer_stats (nodebalancer_id, at, connections, bytes_in, bytes_out) "
    "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM nodebalancers WHERE id = ?) ON CONFLICT "
    "(nodebalancer_id, at) DO UPDATE SET connections = nodebalancer_stats.connections + "
    "excluded.connections, bytes_in = nodebalancer_stats.bytes_in + excluded.bytes_in, "
    "bytes_out = nodebalancer_stats.bytes_out + excluded.bytes_out";
constexpr std::string_view samples =
    "SELECT at, connections, bytes_in, bytes_out FROM nodebalancer_stats WHERE nodebalancer_id "
    "= ? AND at >= ? AND nodebalancer_id IN (SELECT id FROM nodebalancers WHERE {{account}}) "
    "ORDER BY at";
constexpr std::string_view transfer_of =
    "SELECT nodebalancer_id, COUNT(*) AS buckets, COALESCE(SUM(bytes_in), 0) AS bytes_in, "
    "COALESCE(SUM(bytes_out), 0) AS bytes_out FROM nodebalancer_stats WHERE at >= ? AND "
    "nodebalancer_id IN (";
constexpr std::string_view placed_on =
    "SELECT id, region FROM nodebalancers WHERE host_id = ? ORDER BY id";
constexpr std::string_view place = "UPDATE nodebalancers SET host_id = ? WHERE id = ?";
}  // namespace statements

namespace {

using filter::FieldType;

// The fields the spec marks filterable.
const filter::Schema kNodeBalancers{
    {
        {"id", "id", FieldType::integer},
        {"label", "label", FieldType::text},
        {"region", "region", FieldType::text},
        {"ipv4",
         "(SELECT a.address FROM ips a WHERE a.nodebalancer_id = nodebalancers.id AND a.family = "
         "'ipv4')",
         FieldType::text},
        {"tags", "tags", FieldType::text_list, false,
         filter::Membership{"id", "nodebalancer_tags", "nodebalancer_id", "tag"}},
    },
    "id"};
const filter::Schema kConfigs{{{"id", "id", FieldType::integer}}, "id"};
const filter::Schema kNodes{{{"id", "id", FieldType::integer}}, "id"};

constexpr double kMegabyte = 1024.0 * 1024.0;

NodeBalancer from_row(const store::Row& r) {
    NodeBalancer nb;
    nb.id = r.integer("id");
    nb.account_id = r.integer("account_id");
    nb.label = r.text("label");
    nb.region = r.text("region");
    nb.host_id = r.optional_integer("host_id");
    nb.client_conn_throttle = r.integer("client_conn_throttle");
    nb.ipv4 = r.optional_text("ipv4").value_or("");
    nb.ipv6 = r.optional_text("ipv6");
    nb.created = r.text("created");
    nb.updated = r.text("updated");
    return nb;
}

Config config_from_row(const store::Row& r) {
    Config c;
    c.id = r.integer("id");
    c.nodebalancer_id = r.integer("nodebalancer_id");
    c.port = r.integer("port");
    c.protocol = r.text("protocol");
    c.algorithm = r.text("algorithm");
    c.stickiness = r.text("stickiness");
    c.check = r.text("check_type");
    c.check_interval = r.integer("check_interval");
    c.check_timeout = r.integer("check_timeout");
    c.check_attempts = r.integer("check_attempts");
    c.check_path = r.text("check_path");
    c.check_body = r.text("check_body");
    c.check_passive = r.boolean("check_passive");
    c.proxy_protocol = r.text("proxy_protocol");
    c.cipher_suite = r.text("cipher_suite");
    c.ssl_cert = r.optional_text("ssl_cert");
    c.ssl_key = r.optional_text("ssl_key");
    c.ssl_commonname = r.text("ssl_commonname");
    c.ssl_fingerprint = r.text("ssl_fingerprint");
    c.nodes_up = r.optional_integer("nodes_up").value_or(0);
    c.nodes_down = r.optional_integer("nodes_down").value_or(0);
    return c;
}

Node node_from_row(const store::Row& r) {
    Node n;
    n.id = r.integer("id");
    n.config_id = r.integer("config_id");
    n.nodebalancer_id = r.integer("nodebalancer_id");
    n.label = r.text("label");
    n.address = r.text("address");
    n.weight = r.integer("weight");
    n.mode = r.text("mode");
    n.status = r.text("status");
    return n;
}

store::Params config_values(const Config& c) {
    return {c.port,
            c.protocol,
            c.algorithm,
            c.stickiness,
            c.check,
            c.check_interval,
            c.check_timeout,
            c.check_attempts,
            c.check_path,
            c.check_body,
            std::int64_t{c.check_passive ? 1 : 0},
            c.proxy_protocol,
            c.cipher_suite,
            store::or_null(c.ssl_cert),
            store::or_null(c.ssl_key),
            c.ssl_commonname,
            c.ssl_fingerprint};
}

// The first instant of this month, Unix ms.
std::int64_t month_start_ms() {
    const std::time_t now = static_cast<std::time_t>(unix_now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

struct Transfer {
    bool any = false;
    double in = 0;
    double out = 0;
};

// This month's transfer of each NodeBalancer, in one statement.
std::map<std::int64_t, Transfer> transfers(store::Transaction& tx,
                                           const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, Transfer> out;
    if (ids.empty()) return out;
    store::Params params{month_start_ms()};
    const std::string marks = store::placeholders(ids, params);
    for (const auto& row : tx.query(
             std::string(statements::transfer_of) + marks + ") GROUP BY nodebalancer_id", params))
        out[row.integer("nodebalancer_id")] = {row.integer("buckets") > 0,
                                               row.real("bytes_in") / kMegabyte,
                                               row.real("bytes_out") / kMegabyte};
    return out;
}

json::object with_transfer(const NodeBalancer& nb, const Transfer& t) {
    auto doc = document(nb, 0, 0);
    if (!t.any) {
        doc["transfer"] = json::object{{"in", nullptr}, {"out", nullptr}, {"total", nullptr}};
    } else {
        doc["transfer"] = json::object{{"in", t.in}, {"out", t.out}, {"total", t.in + t.out}};
    }
    return doc;
}

store::Listing make_listing(std::string visible, store::Params params) {
    store::Listing l{"nodebalancers", kNodeBalancers, "{{account}} AND (" + visible + ")",
                     std::move(params)};
    l.columns = std::string(statements::columns);
    l.members =
        store::Listing::Members{"nodebalancer_tags", "nodebalancer_id", "tag", "position, tag"};
    l.render_with_members = [](const store::Row& r, const std::vector<std::string>& tags) {
        NodeBalancer nb = from_row(r);
        nb.tags = tags;
        return to_json(with_transfer(nb, {}));
    };
    l.complete = [](store::Transaction& tx, const store::Rows& rows,
                    std::vector<std::string>& docs) {
        std::vector<std::int64_t> ids;
        for (const auto& row : rows) ids.push_back(row.integer("id"));
        const auto of = transfers(tx, ids);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto it = of.find(ids[i]);
            if (it == of.end()) continue;
            auto doc = json::parse(docs[i]).as_object();
            doc["transfer"] = with_transfer(from_row(rows[i]), it->second)["transfer"];
            docs[i] = to_json(doc);
        }
    };
    return l;
}

// "192.168.130.4:80" → "192.168.130.4"; "" when there is no port.
std::string host_of(const std::string& address) {
    const auto colon = address.rfind(':');
    return colon == std::string::npos ? "" : address.substr(0, colon);
}

std::string port_of(const std::string& address) {
    const auto colon = address.rfind(':');
    return colon == std::string::npos ? "" : address.substr(colon + 1);
}

}  // namespace

std::int64_t NodeBalancerRepository::insert(const NodeBalancer& nb) {
    const auto now = now_utc();
    const std::int64_t id = tx_.query(statements::insert, {tx_.scope().account_id(), nb.label,
                                                           nb.region, store::or_null(nb.host_id),
                                                           nb.client_conn_throttle, now, now})
                                .at(0)
                                .integer("id");
    std::int64_t position = 0;
    for (const auto& tag : nb.tags) tx_.write(statements::add_tag, {id, tag, position++});
    return id;
}

std::optional<NodeBalancer> NodeBalancerRepository::find(std::int64_t id) {
    auto rows = store::scoped_query(
        tx_, store::locking(tx_, statements::find_in_account, " OF nodebalancers"), {id});
    if (rows.empty()) return std::nullopt;
    NodeBalancer nb = from_row(rows.front());
    for (const auto& row : tx_.query(statements::tags_of, {id})) nb.tags.push_back(row.text("tag"));
    nb.stored_tags = nb.tags;
    return nb;
}

void NodeBalancerRepository::save(NodeBalancer& nb) {
    nb.updated = now_utc();
    store::scoped_write(tx_, statements::save,
                        {nb.label, nb.client_conn_throttle, nb.updated, nb.id});
    if (nb.tags == nb.stored_tags) return;
    tx_.write(statements::clear_tags, {nb.id});
    std::int64_t position = 0;
    for (const auto& tag : nb.tags) tx_.write(statements::add_tag, {nb.id, tag, position++});
    nb.stored_tags = nb.tags;
}

void NodeBalancerRepository::remove(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id});
}

bool NodeBalancerRepository::label_taken(const std::string& label, std::int64_t except_id) {
    return !store::scoped_query(tx_, statements::label_taken, {label, except_id}).empty();
}

std::vector<std::pair<std::int64_t, std::string>> NodeBalancerRepository::names() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& row : store::scoped_query(tx_, statements::names))
        out.emplace_back(row.integer("id"), row.text("label"));
    return out;
}

std::vector<NodeBalancer> NodeBalancerRepository::tagged_with(const std::string& tag) {
    std::vector<NodeBalancer> out;
    for (const auto& row : store::scoped_query(tx_, statements::tagged_with, {tag}))
        if (auto nb = find(row.integer("id"))) out.push_back(std::move(*nb));
    return out;
}

std::int64_t NodeBalancerRepository::insert_config(const Config& c) {
    store::Params params{c.nodebalancer_id};
    auto values = config_values(c);
    params.insert(params.end(), values.begin(), values.end());
    return tx_.query(statements::insert_config, params).at(0).integer("id");
}

void NodeBalancerRepository::save_config(const Config& c) {
    auto params = config_values(c);
    params.emplace_back(c.id);
    store::scoped_write(tx_, statements::save_config, params);
}

std::optional<Config> NodeBalancerRepository::find_config(std::int64_t nodebalancer_id,
                                                          std::int64_t config_id) {
    auto rows = store::scoped_query(tx_,
                                    "SELECT " + std::string(statements::config_columns) +
                                        std::string(statements::config_scope) +
                                        "AND c.nodebalancer_id = ? AND c.id = ?",
                                    {nodebalancer_id, config_id});
    if (rows.empty()) return std::nullopt;
    return config_from_row(rows.front());
}

std::vector<Config> NodeBalancerRepository::configs_of(std::int64_t nodebalancer_id) {
    std::vector<Config> out;
    for (const auto& row : store::scoped_query(tx_,
                                               "SELECT " + std::string(statements::config_columns) +
                                                   std::string(statements::config_scope) +
                                                   "AND c.nodebalancer_id = ? ORDER BY c.id",
                                               {nodebalancer_id}))
        out.push_back(config_from_row(row));
    return out;
}

void NodeBalancerRepository::remove_config(std::int64_t config_id) {
    store::scoped_execute(tx_, statements::remove_config, {config_id});
}

bool NodeBalancerRepository::port_taken(std::int64_t nodebalancer_id, std::int64_t port,
                                        std::int64_t except_id) {
    return !tx_.query(statements::port_taken, {nodebalancer_id, port, except_id}).empty();
}

std::int64_t NodeBalancerRepository::insert_node(const Node& n) {
    return tx_
        .query(statements::insert_node,
               {n.config_id, n.label, n.address, n.weight, n.mode, n.status})
        .at(0)
        .integer("id");
}

void NodeBalancerRepository::save_node(const Node& n) {
    store::scoped_write(tx_, statements::save_node,
                        {n.label, n.address, n.weight, n.mode, n.status, n.id});
}

std::optional<Node> NodeBalancerRepository::find_node(std::int64_t config_id,
                                                      std::int64_t node_id) {
    auto rows = store::scoped_query(tx_,
                                    "SELECT " + std::string(statements::node_columns) +
                                        std::string(statements::node_scope) +
                                        "AND n.config_id = ? AND n.id = ?",
                                    {config_id, node_id});
    if (rows.empty()) return std::nullopt;
    return node_from_row(rows.front());
}

std::vector<Node> NodeBalancerRepository::nodes_of(std::int64_t config_id) {
    std::vector<Node> out;
    for (const auto& row : store::scoped_query(tx_,
                                               "SELECT " + std::string(statements::node_columns) +
                                                   std::string(statements::node_scope) +
                                                   "AND n.config_id = ? ORDER BY n.id",
                                               {config_id}))
        out.push_back(node_from_row(row));
    return out;
}

void NodeBalancerRepository::remove_node(std::int64_t node_id) {
    store::scoped_execute(tx_, statements::remove_node, {node_id});
}

bool NodeBalancerRepository::address_taken(std::int64_t config_id, const std::string& address,
                                           std::int64_t except_id) {
    return !tx_.query(statements::address_taken, {config_id, address, except_id}).empty();
}

bool NodeBalancerRepository::is_private_linode_address(const std::string& address,
                                                       const std::string& region) {
    return !store::scoped_query(tx_, statements::private_linode_address, {address, region}).empty();
}

std::vector<Balancer> NodeBalancerRepository::served_on_node(const std::string& node) {
    std::vector<Balancer> out;
    std::map<std::int64_t, std::size_t> balancer_at;
    std::map<std::int64_t, std::int64_t> account_of;
    for (const auto& row : tx_.query(statements::served_balancers, {node})) {
        Balancer b;
        b.id = row.integer("id");
        b.address = row.optional_text("ipv4").value_or("");
        b.client_conn_throttle = static_cast<int>(row.integer("client_conn_throttle"));
        balancer_at[b.id] = out.size();
        account_of[b.id] = row.integer("account_id");
        out.push_back(std::move(b));
    }
    if (out.empty()) return out;
    // Configs, by id: where each sits among its balancer's ports.
    std::map<std::int64_t, std::pair<std::size_t, std::size_t>> port_at;
    for (const auto& row : tx_.query("SELECT " + std::string(statements::config_columns) +
                                         std::string(statements::served_configs),
                                     {node})) {
        const auto it = balancer_at.find(row.integer("nodebalancer_id"));
        if (it == balancer_at.end()) continue;
        const Config c = config_from_row(row);
        Port p;
        p.config_id = c.id;
        p.port = static_cast<int>(c.port);
        p.protocol = c.protocol;
        p.algorithm = c.algorithm;
        p.stickiness = c.stickiness;
        p.check = c.check;
        p.check_interval = static_cast<int>(c.check_interval);
        p.check_timeout = static_cast<int>(c.check_timeout);
        p.check_attempts = static_cast<int>(c.check_attempts);
        p.check_path = c.check_path;
        p.check_body = c.check_body;
        p.check_passive = c.check_passive;
        p.proxy_protocol = c.proxy_protocol;
        p.cipher_suite = c.cipher_suite;
        p.ssl_cert = c.ssl_cert.value_or("");
        p.ssl_key = c.ssl_key.value_or("");
        auto& ports = out[it->second].ports;
        port_at[c.id] = {it->second, ports.size()};
        ports.push_back(std::move(p));
    }
    // Nodes; a Linode's private address is reached at its public one, the Linode being of the
    // NodeBalancer's account.
    struct Pending {
        std::int64_t id, config_id, weight;
        std::string address, mode;
    };
    std::vector<Pending> nodes;
    std::set<std::string> privates;
    for (const auto& row : tx_.query(statements::served_nodes, {node})) {
        Pending n{row.integer("id"), row.integer("config_id"), row.integer("weight"),
                  row.text("address"), row.text("mode")};
        const auto host = host_of(n.address);
        if (host.rfind("127.", 0) != 0) privates.insert(host);
        nodes.push_back(std::move(n));
    }
    std::map<std::pair<std::string, std::int64_t>, std::string> reached;
    if (!privates.empty()) {
        store::Params params;
        const std::string marks = store::placeholders(privates, params);
        for (const auto& row : tx_.query(std::string(statements::reached_at) + marks + ")", params))
            if (auto to = row.optional_text("public_address"))
                reached[{row.text("private_address"), row.integer("account_id")}] = *to;
    }
    for (const auto& n : nodes) {
        const auto at = port_at.find(n.config_id);
        if (at == port_at.end()) continue;
        const auto [b, p] = at->second;
        std::string host = host_of(n.address);
        if (host.rfind("127.", 0) != 0) {
            const auto it = reached.find({host, account_of[out[b].id]});
            // A private address no Linode of the account has: nothing answers there.
            if (it == reached.end()) continue;
            host = it->second;
        }
        out[b].ports[p].nodes.push_back(
            {n.id, host + ":" + port_of(n.address), static_cast<int>(n.weight), n.mode});
    }
    for (const auto& row : tx_.query(statements::served_firewalls, {node})) {
        const auto it = balancer_at.find(row.integer("nodebalancer_id"));
        if (it == balancer_at.end() || out[it->second].firewall) continue;
        out[it->second].firewall =
            firewalls::parse_stored(json::parse(row.text("rules")).as_object());
    }
    return out;
}

int NodeBalancerRepository::set_statuses(const std::map<std::int64_t, std::string>& statuses) {
    int changed = 0;
    for (const auto& [id, status] : statuses) {
        auto rows = tx_.query(statements::status_of, {id});
        if (rows.empty() || rows.front().text("status") == status) continue;
        tx_.write(statements::set_status, {status, id});
        ++changed;
    }
    return changed;
}

void NodeBalancerRepository::add_samples(const std::map<std::int64_t, Sample>& by_nodebalancer) {
    for (const auto& [id, s] : by_nodebalancer)
        tx_.write(statements::add_sample, {id, s.at, s.connections, s.bytes_in, s.bytes_out, id});
}

std::vector<Sample> NodeBalancerRepository::samples(std::int64_t nodebalancer_id,
                                                    std::int64_t since_ms) {
    std::vector<Sample> out;
    for (const auto& row :
         store::scoped_query(tx_, statements::samples, {nodebalancer_id, since_ms}))
        out.push_back({row.integer("at"), row.real("connections"), row.real("bytes_in"),
                       row.real("bytes_out")});
    return out;
}

std::vector<std::pair<std::int64_t, std::string>> NodeBalancerRepository::placed_on(
    std::int64_t host_id) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& row : tx_.query(statements::placed_on, {host_id}))
        out.emplace_back(row.integer("id"), row.text("region"));
    return out;
}

void NodeBalancerRepository::place(std::int64_t nodebalancer_id, std::int64_t host_id) {
    tx_.write(statements::place, {host_id, nodebalancer_id});
}

store::Listing NodeBalancerRepository::listing(
    const std::pair<std::string, store::Params>& visible) {
    return make_listing(visible.first, visible.second);
}

bool NodeBalancerRepository::serves_linode(std::int64_t linode_id) {
    return !tx_.query(statements::serves_linode, {linode_id}).empty();
}

store::Listing NodeBalancerRepository::of_linode_listing(
    std::int64_t linode_id, const std::pair<std::string, store::Params>& visible) {
    store::Params params{linode_id};
    params.insert(params.end(), visible.second.begin(), visible.second.end());
    return make_listing(std::string(statements::of_linode) + "(" + visible.first + ")",
                        std::move(params));
}

store::Listing NodeBalancerRepository::tagged(
    const std::string& tag, const std::pair<std::string, store::Params>& visible) {
    store::Params params{tag};
    params.insert(params.end(), visible.second.begin(), visible.second.end());
    return make_listing(std::string(statements::tagged) + "(" + visible.first + ")",
                        std::move(params));
}

store::Listing NodeBalancerRepository::config_listing(std::int64_t nodebalancer_id) {
    store::Listing l{"nodebalancer_configs c",
                     kConfigs,
                     "c.nodebalancer_id = ? AND c.nodebalancer_id IN (SELECT id FROM "
                     "nodebalancers WHERE {{account}})",
                     {nodebalancer_id}};
    l.columns = std::string(statements::config_columns);
    l.render = [](const store::Row& r) { return render(config_from_row(r)); };
    return l;
}

store::Listing NodeBalancerRepository::node_listing(std::int64_t nodebalancer_id,
                                                    std::int64_t config_id) {
    store::Listing l{"nodebalancer_nodes",
                     kNodes,
                     "config_id = ? AND config_id IN (SELECT c.id FROM nodebalancer_configs c "
                     "JOIN nodebalancers b ON b.id = c.nodebalancer_id WHERE c.nodebalancer_id "
                     "= ? AND {{account:b.account_id}})",
                     {config_id, nodebalancer_id}};
    l.columns = "id, config_id, " + std::to_string(nodebalancer_id) +
                " AS nodebalancer_id, label, address, weight, mode, status";
    l.render = [](const store::Row& r) { return render(node_from_row(r)); };
    return l;
}

json::object document(const NodeBalancer& nb, double mb_in, double mb_out) {
    json::array tags;
    for (const auto& t : nb.tags) tags.push_back(json::string(t));
    std::string hostname = nb.ipv4;
    for (auto& c : hostname)
        if (c == '.') c = '-';
    return json::object{
        {"id", nb.id},
        {"label", nb.label},
        {"region", nb.region},
        {"type", "common"},
        {"hostname", hostname + ".ip.linnet.internal"},
        {"ipv4", nb.ipv4},
        {"ipv6", nb.ipv6 ? json::value(json::string(*nb.ipv6)) : json::value(nullptr)},
        {"client_conn_throttle", nb.client_conn_throttle},
        {"client_udp_sess_throttle", 0},
        {"lke_cluster", nullptr},
        {"tags", std::move(tags)},
        {"transfer", json::object{{"in", mb_in}, {"out", mb_out}, {"total", mb_in + mb_out}}},
        {"created", nb.created},
        {"updated", nb.updated},
    };
}

std::string render(const Config& c) {
    // The certificate and key are never shown again, only whether they are set.
    const auto redacted = [](const std::optional<std::string>& v) {
        return v ? json::value("<REDACTED>") : json::value(nullptr);
    };
    return to_json(json::object{
        {"id", c.id},
        {"port", c.port},
        {"protocol", c.protocol},
        {"algorithm", c.algorithm},
        {"stickiness", c.stickiness},
        {"check", c.check},
        {"check_interval", c.check_interval},
        {"check_timeout", c.check_timeout},
        {"check_attempts", c.check_attempts},
        {"check_path", c.check_path},
        {"check_body", c.check_body},
        {"check_passive", c.check_passive},
        {"proxy_protocol", c.proxy_protocol},
        {"cipher_suite", c.cipher_suite},
        {"nodebalancer_id", c.nodebalancer_id},
        {"ssl_commonname", c.ssl_commonname},
        {"ssl_fingerprint", c.ssl_fingerprint},
        {"ssl_cert", redacted(c.ssl_cert)},
        {"ssl_key", redacted(c.ssl_key)},
        {"nodes_status", json::object{{"up", c.nodes_up}, {"down", c.nodes_down}}},
    });
}

std::string render(const Node& n) {
    return to_json(json::object{
        {"id", n.id},
        {"address", n.address},
        {"label", n.label},
        {"status", n.status},
        {"weight", n.weight},
        {"mode", n.mode},
        {"config_id", n.config_id},
        {"nodebalancer_id", n.nodebalancer_id},
    });
}

}  // namespace linnet::nodebalancers
