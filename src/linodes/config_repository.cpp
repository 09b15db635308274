// Statements on configs.
#include "linodes/config_repository.hpp"

#include <map>

#include "core/json.hpp"
#include "store/reserved_ids.hpp"
#include "store/scoped.hpp"

namespace linnet::linodes {

namespace json = boost::json;
using filter::FieldType;

namespace statements {
// The Linode's account is looked at by its key (an IN over the account's Linodes would read
// them all on SQLite).
constexpr std::string_view find_of =
    "SELECT doc FROM configs WHERE id = ? AND linode_id = ? AND EXISTS (SELECT 1 FROM linodes l "
    "WHERE l.id = configs.linode_id AND {{account:l.account_id}})";
constexpr std::string_view find =
    "SELECT doc FROM configs WHERE id = ? AND EXISTS (SELECT 1 FROM linodes l WHERE l.id = "
    "configs.linode_id AND {{account:l.account_id}})";
constexpr std::string_view of_linode = "SELECT doc FROM configs WHERE linode_id = ? ORDER BY id";
constexpr std::string_view first_of =
    "SELECT doc FROM configs WHERE linode_id = ? AND EXISTS (SELECT 1 FROM linodes l WHERE l.id "
    "= configs.linode_id AND {{account:l.account_id}}) ORDER BY id LIMIT 1";
constexpr std::string_view first_id =
    "SELECT id FROM configs WHERE linode_id = ? ORDER BY id LIMIT 1";
constexpr std::string_view insert =
    "INSERT INTO configs (linode_id, label, doc) VALUES (?, ?, '{}') RETURNING id";
constexpr std::string_view insert_whole =
    "INSERT INTO configs (id, linode_id, label, doc) VALUES (?, ?, ?, ?)";
constexpr std::string_view save = "UPDATE configs SET label = ?, doc = ? WHERE id = ?";
constexpr std::string_view remove = "DELETE FROM configs WHERE id = ?";
constexpr std::string_view remove_all = "DELETE FROM configs WHERE linode_id = ?";
constexpr std::string_view of_one_linode = "linode_id = ?";
// An interface is active while its Linode runs the config it belongs to.
constexpr std::string_view interfaces_of =
    "SELECT i.config_id, i.doc, CASE WHEN l.status = 'running' AND l.booted_config_id = "
    "i.config_id THEN 1 ELSE 0 END AS active FROM config_interfaces i JOIN linodes l ON l.id = "
    "i.linode_id WHERE i.config_id IN (";
// The same, of a Linode's first config.
constexpr std::string_view interfaces_of_first =
    "SELECT i.config_id, i.doc, CASE WHEN l.status = 'running' AND l.booted_config_id = "
    "i.config_id THEN 1 ELSE 0 END AS active FROM config_interfaces i JOIN linodes l ON l.id = "
    "i.linode_id WHERE i.config_id = (SELECT id FROM configs WHERE linode_id = ? ORDER BY id "
    "LIMIT 1) ORDER BY i.position";
constexpr std::string_view linode_of = "SELECT linode_id FROM configs WHERE id = ?";
// Each VLAN once: its label and region, keyed by both, made when its first Linode joined.
constexpr std::string_view vlans =
    "(SELECT i.label || '/' || l.region AS vlan_key, i.label AS label, l.region AS region, "
    "MIN(l.created) AS created, l.account_id AS account_id FROM config_interfaces i JOIN linodes "
    "l ON l.id = i.linode_id WHERE i.purpose = 'vlan' AND i.label IS NOT NULL GROUP BY i.label, "
    "l.region, l.account_id) vlans";
constexpr std::string_view vlan_members =
    "SELECT DISTINCT i.label || '/' || l.region AS vlan_key, l.id AS linode_id FROM "
    "config_interfaces i JOIN linodes l ON l.id = i.linode_id WHERE i.purpose = 'vlan' AND "
    "{{account:l.account_id}} AND (";
constexpr std::string_view clear_interfaces = "DELETE FROM config_interfaces WHERE config_id = ?";
constexpr std::string_view clear_vpc_ips = "DELETE FROM vpc_ips WHERE config_id = ?";
constexpr std::string_view add_vpc_ip =
    "INSERT INTO vpc_ips (config_id, interface_id, linode_id, vpc_id, subnet_id, address, "
    "address_range, nat_1_1) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view vpc_addresses =
    "SELECT address FROM vpc_ips WHERE subnet_id = ? AND config_id <> ? AND address IS NOT NULL";
constexpr std::string_view in_vpc = "SELECT 1 AS found FROM vpc_ips WHERE linode_id = ? LIMIT 1";
constexpr std::string_view in_vlan =
    "SELECT 1 AS found FROM config_interfaces WHERE linode_id = ? AND purpose = 'vlan' LIMIT 1";
constexpr std::string_view add_interface =
    "INSERT INTO config_interfaces (config_id, interface_id, linode_id, position, purpose, "
    "label, doc) VALUES (?, ?, ?, ?, ?, ?, ?)";
}  // namespace statements

namespace {

const filter::Schema kConfigs{{{"label", "label", FieldType::text}}, "id"};
const filter::Schema kVlans{
    {{"label", "label", FieldType::text}, {"region", "region", FieldType::text}}, "vlan_key"};

// The statement that reads the interfaces of these configs, and its parameters.
std::pair<std::string, store::Params> interfaces_statement(const std::vector<std::int64_t>& ids) {
    store::Params params;
    const std::string marks = store::placeholders(ids, params);
    return {std::string(statements::interfaces_of) + marks + ") ORDER BY i.config_id, i.position",
            std::move(params)};
}

json::object interface_of(const store::Row& row) {
    auto doc = json::parse(row.text("doc")).as_object();
    doc["active"] = row.integer("active") != 0;
    return doc;
}

// Each config's interfaces (its rows of config_interfaces, in order), read in one statement.
std::map<std::int64_t, json::array> interfaces_of(store::Transaction& tx,
                                                  const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, json::array> out;
    if (ids.empty()) return out;
    for (const auto id : ids) out[id];
    const auto [sql, params] = interfaces_statement(ids);
    for (const auto& row : tx.query(sql, params))
        out[row.integer("config_id")].push_back(interface_of(row));
    return out;
}

// The documents of the rows, each with its interfaces.
std::vector<json::object> with_interfaces(store::Transaction& tx, const store::Rows& rows) {
    std::vector<json::object> out;
    std::vector<std::int64_t> ids;
    for (const auto& row : rows) {
        out.push_back(json::parse(row.text("doc")).as_object());
        ids.push_back(out.back().at("id").as_int64());
    }
    auto interfaces = interfaces_of(tx, ids);
    for (auto& doc : out) doc["interfaces"] = std::move(interfaces[doc.at("id").as_int64()]);
    return out;
}

std::optional<json::object> first_doc(store::Transaction& tx, const store::Rows& rows) {
    if (rows.empty()) return std::nullopt;
    return with_interfaces(tx, rows).front();
}

}  // namespace

std::optional<json::object> ConfigRepository::find_of(std::int64_t linode_id, std::int64_t id) {
    return first_doc(tx_, store::scoped_query(tx_, statements::find_of, {id, linode_id}));
}

std::optional<json::object> ConfigRepository::find(std::int64_t id) {
    return first_doc(tx_, store::scoped_query(tx_, statements::find, {id}));
}

std::vector<json::object> ConfigRepository::of_linode(std::int64_t linode_id) {
    return with_interfaces(tx_, store::scoped_query(tx_, statements::of_linode, {linode_id}));
}

void ConfigRepository::read_ahead_find_of(std::int64_t linode_id, std::int64_t id) {
    store::scoped_read_ahead(tx_, statements::find_of, {id, linode_id});
    const auto [sql, params] = interfaces_statement({id});
    tx_.read_ahead(sql, params);
}

void ConfigRepository::read_ahead_first_of(std::int64_t linode_id) {
    store::scoped_read_ahead(tx_, statements::first_of, {linode_id});
    tx_.read_ahead(statements::interfaces_of_first, {linode_id});
}

std::optional<json::object> ConfigRepository::first_of(std::int64_t linode_id) {
    // The interfaces are read by the first config's id as a sub-select, so that both reads can
    // go ahead together.
    const auto rows = store::scoped_query(tx_, statements::first_of, {linode_id});
    if (rows.empty()) return std::nullopt;
    auto doc = json::parse(rows.front().text("doc")).as_object();
    json::array interfaces;
    for (const auto& row : tx_.query(statements::interfaces_of_first, {linode_id}))
        interfaces.push_back(interface_of(row));
    doc["interfaces"] = std::move(interfaces);
    return doc;
}

void ConfigRepository::read_ahead_first_id(std::int64_t linode_id) {
    store::scoped_read_ahead(tx_, statements::first_id, {linode_id});
}

std::optional<std::int64_t> ConfigRepository::first_id(std::int64_t linode_id) {
    auto rows = store::scoped_query(tx_, statements::first_id, {linode_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().integer("id");
}

std::int64_t ConfigRepository::insert(std::int64_t linode_id, json::object config) {
    // With an id set aside (store/reserved_ids.hpp) the row goes in whole; otherwise the insert
    // answers the id, which the document then names.
    const auto reserved = store::reserved_id(tx_, "configs");
    const std::int64_t id =
        reserved ? *reserved
                 : store::scoped_query(tx_, statements::insert,
                                       {linode_id, std::string(config.at("label").as_string())})
                       .at(0)
                       .integer("id");
    config["id"] = id;
    write(config, linode_id, reserved ? Write::insert : Write::fresh);
    return id;
}

void ConfigRepository::save(const json::object& config) {
    const auto linode = tx_.query(statements::linode_of, {config.at("id").as_int64()});
    if (linode.empty()) return;
    write(config, linode.front().integer("linode_id"), Write::update);
}

void ConfigRepository::write(const json::object& config, std::int64_t linode_id, Write how) {
    // The interfaces are rows of their own; the document keeps the rest.
    json::object doc = config;
    json::array interfaces;
    if (auto* list = doc.if_contains("interfaces"); list && list->is_array())
        interfaces = std::move(list->as_array());
    doc.erase("interfaces");
    const std::int64_t id = config.at("id").as_int64();
    if (how == Write::insert)
        tx_.write(statements::insert_whole,
                  {id, linode_id, std::string(config.at("label").as_string()), to_json(doc)});
    else
        tx_.write(statements::save,
                  {std::string(config.at("label").as_string()), to_json(doc), id});
    if (how == Write::update) {
        tx_.write(statements::clear_interfaces, {id});
        tx_.write(statements::clear_vpc_ips, {id});
    }
    std::int64_t position = 0;
    for (const auto& i : interfaces) {
        const auto& itf = i.as_object();
        add_vpc_ips(id, linode_id, itf);
        const auto* label = itf.if_contains("label");
        const auto* purpose = itf.if_contains("purpose");
        tx_.write(statements::add_interface,
                  {id, itf.at("id").as_int64(), linode_id, position++,
                   purpose && purpose->is_string() ? std::string(purpose->as_string())
                                                   : std::string("public"),
                   label && label->is_string() ? store::SqlValue(std::string(label->as_string()))
                                               : store::SqlValue(),
                   to_json(i)});
    }
}

void ConfigRepository::add_vpc_ips(std::int64_t config_id, std::int64_t linode_id,
                                   const json::object& itf) {
    // A settled vpc interface: its address and each of its ranges, a row each.
    const auto* vpc = itf.if_contains("vpc_id");
    const auto* subnet = itf.if_contains("subnet_id");
    const auto* v4 = itf.if_contains("ipv4");
    if (!vpc || !vpc->is_int64() || !subnet || !subnet->is_int64() || !v4 || !v4->is_object())
        return;
    auto text = [](const json::value* v) {
        return v && v->is_string() && !v->as_string().empty()
                   ? store::SqlValue(std::string(v->as_string()))
                   : store::SqlValue();
    };
    const std::int64_t interface_id = itf.at("id").as_int64();
    tx_.write(statements::add_vpc_ip,
              {config_id, interface_id, linode_id, vpc->as_int64(), subnet->as_int64(),
               text(v4->as_object().if_contains("vpc")), store::SqlValue(),
               text(v4->as_object().if_contains("nat_1_1"))});
    if (const auto* ranges = itf.if_contains("ip_ranges"); ranges && ranges->is_array())
        for (const auto& r : ranges->as_array())
            tx_.write(statements::add_vpc_ip,
                      {config_id, interface_id, linode_id, vpc->as_int64(), subnet->as_int64(),
                       store::SqlValue(), text(&r), store::SqlValue()});
}

std::vector<std::string> ConfigRepository::vpc_addresses(std::int64_t subnet_id,
                                                         std::int64_t except_config_id) {
    std::vector<std::string> out;
    for (const auto& row : tx_.query(statements::vpc_addresses, {subnet_id, except_config_id}))
        out.push_back(row.text("address"));
    return out;
}

bool ConfigRepository::in_vpc(std::int64_t linode_id) {
    return !tx_.query(statements::in_vpc, {linode_id}).empty();
}

bool ConfigRepository::in_vlan(std::int64_t linode_id) {
    return !tx_.query(statements::in_vlan, {linode_id}).empty();
}

void ConfigRepository::clear_devices(std::int64_t linode_id, std::string_view key,
                                     std::int64_t id) {
    for (auto& config : of_linode(linode_id)) {
        bool changed = false;
        for (auto& [slot, device] : config["devices"].as_object())
            if (device.is_object() && device.as_object().contains(key) &&
                device.as_object().at(key) == id) {
                device = nullptr;
                changed = true;
            }
        if (changed) save(config);
    }
}

void ConfigRepository::remove(std::int64_t id) {
    tx_.execute(statements::remove, {id});
}

void ConfigRepository::remove_all(std::int64_t linode_id) {
    tx_.execute(statements::remove_all, {linode_id});
}

store::Listing ConfigRepository::vlan_listing(
    const std::pair<std::string, store::Params>& visible) {
    // A VLAN is listed when a Linode the caller may see is attached to it, with those Linodes.
    const std::string members =
        std::string(statements::vlan_members) + visible.first + ") ORDER BY l.id";
    store::Params params = visible.second;
    store::Listing l{std::string(statements::vlans), kVlans,
                     "{{account}} AND vlan_key IN (SELECT m.vlan_key FROM (" + members + ") m)",
                     params};
    l.columns = "vlan_key, label, region, created";
    l.render = [](const store::Row& r) {
        return to_json(json::object{{"label", r.text("label")},
                                    {"linodes", json::array{}},
                                    {"region", r.text("region")},
                                    {"created", r.text("created")}});
    };
    l.complete = [members, params](store::Transaction& tx, const store::Rows& rows,
                                   std::vector<std::string>& docs) {
        std::map<std::string, json::array> of;
        for (const auto& row : store::scoped_query(tx, members, params))
            of[row.text("vlan_key")].push_back(row.integer("linode_id"));
        for (std::size_t i = 0; i < rows.size(); ++i) {
            auto doc = json::parse(docs[i]).as_object();
            doc["linodes"] = std::move(of[rows[i].text("vlan_key")]);
            docs[i] = to_json(doc);
        }
    };
    return l;
}

store::Listing ConfigRepository::listing(std::int64_t linode_id) {
    store::Listing l{"configs", kConfigs, std::string(statements::of_one_linode), {linode_id}};
    l.complete = [](store::Transaction& tx, const store::Rows& rows,
                    std::vector<std::string>& docs) {
        const auto full = with_interfaces(tx, rows);
        for (std::size_t i = 0; i < docs.size(); ++i) docs[i] = to_json(full[i]);
    };
    return l;
}

}  // namespace linnet::linodes
