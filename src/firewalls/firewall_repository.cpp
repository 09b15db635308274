// Statements on firewalls, firewall_tags, firewall_rules and firewall_devices, and their
// documents.
#include "firewalls/firewall_repository.hpp"

#include <boost/json.hpp>
#include <map>

#include "core/json.hpp"
#include "core/time.hpp"
#include "store/scoped.hpp"

namespace linnet::firewalls {

namespace json = boost::json;

namespace statements {
constexpr std::string_view columns =
    "id, account_id, label, status, rules_version, created, updated, (SELECT r.rules FROM "
    "firewall_rules r WHERE r.firewall_id = firewalls.id AND r.version = firewalls.rules_version) "
    "AS rules";
constexpr std::string_view insert =
    "INSERT INTO firewalls (account_id, label, status, rules_version, created, updated) VALUES "
    "(?, ?, ?, 1, ?, ?) RETURNING id";
const std::string find_in_account =
    "SELECT " + std::string(columns) + " FROM firewalls WHERE id = ? AND {{account}}";
constexpr std::string_view tags_of =
    "SELECT tag FROM firewall_tags WHERE firewall_id = ? ORDER BY position, tag";
constexpr std::string_view save =
    "UPDATE firewalls SET label = ?, status = ?, rules_version = ?, updated = ? WHERE id = ? AND "
    "{{account}}";
constexpr std::string_view clear_tags = "DELETE FROM firewall_tags WHERE firewall_id = ?";
constexpr std::string_view add_tag =
    "INSERT INTO firewall_tags (firewall_id, tag, position) VALUES (?, ?, ?) ON CONFLICT DO "
    "NOTHING";
constexpr std::string_view add_rules =
    "INSERT INTO firewall_rules (firewall_id, version, rules, status, created) VALUES (?, ?, ?, "
    "?, ?)";
constexpr std::string_view rules_version =
    "SELECT r.version, r.rules, r.status, r.created FROM firewall_rules r WHERE r.firewall_id = ? "
    "AND r.version = ? AND r.firewall_id IN (SELECT id FROM firewalls WHERE {{account}})";
constexpr std::string_view remove = "DELETE FROM firewalls WHERE id = ? AND {{account}}";
constexpr std::string_view label_taken =
    "SELECT 1 AS found FROM firewalls WHERE label = ? AND id <> ? AND {{account}}";
constexpr std::string_view names = "SELECT id, label FROM firewalls WHERE {{account}} ORDER BY id";
constexpr std::string_view device_columns =
    "d.id, d.firewall_id, d.linode_id, d.nodebalancer_id, d.created, d.updated, COALESCE((SELECT "
    "l.label FROM linodes l WHERE l.id = d.linode_id), (SELECT b.label FROM nodebalancers b WHERE "
    "b.id = d.nodebalancer_id)) AS linode_label";
const std::string device_base = "SELECT " + std::string(device_columns) +
                                " FROM firewall_devices d WHERE {{account:d.account_id}} ";
constexpr std::string_view add_device =
    "INSERT INTO firewall_devices (firewall_id, account_id, linode_id, nodebalancer_id, created, "
    "updated) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view remove_device =
    "DELETE FROM firewall_devices WHERE id = ? AND {{account}}";
constexpr std::string_view enabled_of_linode =
    "SELECT f.id FROM firewalls f JOIN firewall_devices d ON d.firewall_id = f.id WHERE "
    "d.linode_id = ? AND f.status = 'enabled' AND f.id <> ? ORDER BY f.id";
constexpr std::string_view enabled_of_nodebalancer =
    "SELECT f.id FROM firewalls f JOIN firewall_devices d ON d.firewall_id = f.id WHERE "
    "d.nodebalancer_id = ? AND f.status = 'enabled' AND f.id <> ? ORDER BY f.id";
constexpr std::string_view of_linode =
    "SELECT firewall_id FROM firewall_devices WHERE linode_id = ? ORDER BY firewall_id";
constexpr std::string_view linode_devices =
    "id IN (SELECT firewall_id FROM firewall_devices WHERE linode_id = ?) AND ";
constexpr std::string_view nodebalancer_devices =
    "id IN (SELECT firewall_id FROM firewall_devices WHERE nodebalancer_id = ?) AND ";
constexpr std::string_view remove_linode_devices =
    "DELETE FROM firewall_devices WHERE linode_id = ? AND {{account}}";
constexpr std::string_view remove_nodebalancer_devices =
    "DELETE FROM firewall_devices WHERE nodebalancer_id = ? AND {{account}}";
constexpr std::string_view entities_of =
    "SELECT d.firewall_id, d.linode_id, d.nodebalancer_id, COALESCE((SELECT l.label FROM linodes "
    "l WHERE l.id = d.linode_id), (SELECT b.label FROM nodebalancers b WHERE b.id = "
    "d.nodebalancer_id)) AS linode_label FROM firewall_devices d WHERE d.firewall_id IN (";
constexpr std::string_view enforced_on_node =
    "SELECT d.linode_id, r.rules FROM firewall_devices d JOIN firewalls f ON f.id = "
    "d.firewall_id JOIN firewall_rules r ON r.firewall_id = f.id AND r.version = "
    "f.rules_version JOIN linodes l ON l.id = d.linode_id JOIN hosts h ON h.id = l.host_id WHERE "
    "f.status = 'enabled' AND h.node = ? ORDER BY d.linode_id, f.id";
constexpr std::string_view release_linode = "DELETE FROM firewall_devices WHERE linode_id = ?";
}  // namespace statements

namespace {

using filter::FieldType;

// The fields the spec marks filterable.
const filter::Schema kFirewalls{
    {
        {"id", "id", FieldType::integer},
        {"label", "label", FieldType::text},
        {"created", "created", FieldType::time},
        {"updated", "updated", FieldType::time},
        {"tags", "tags", FieldType::text_list, false,
         filter::Membership{"id", "firewall_tags", "firewall_id", "tag"}},
    },
    "id"};
const filter::Schema kDevices{{
                                  {"id", "id", FieldType::integer},
                                  {"created", "created", FieldType::time},
                                  {"updated", "updated", FieldType::time},
                              },
                              "id"};
const filter::Schema kHistory{{}, "version"};

Firewall from_row(const store::Row& r) {
    Firewall f;
    f.id = r.integer("id");
    f.account_id = r.integer("account_id");
    f.label = r.text("label");
    f.status = r.text("status");
    f.rules_version = r.integer("rules_version");
    f.rules = parse_stored(json::parse(r.text("rules")).as_object());
    f.created = r.text("created");
    f.updated = r.text("updated");
    return f;
}

Device device_from_row(const store::Row& r) {
    Device d;
    d.id = r.integer("id");
    d.firewall_id = r.integer("firewall_id");
    if (auto linode = r.optional_integer("linode_id")) {
        d.type = "linode";
        d.entity_id = *linode;
        d.label = r.optional_text("linode_label").value_or("");
    } else {
        d.type = "nodebalancer";
        d.entity_id = r.optional_integer("nodebalancer_id").value_or(0);
        d.label = r.optional_text("linode_label").value_or("");
    }
    d.created = r.text("created");
    d.updated = r.text("updated");
    return d;
}

json::object entity_of(const std::string& type, std::int64_t id, const std::string& label) {
    const std::string url = type == "linode" ? "/v4/linode/instances/" + std::to_string(id)
                                             : "/v4/nodebalancers/" + std::to_string(id);
    return json::object{{"id", id}, {"type", type}, {"label", label}, {"url", url}};
}

json::object document(const Firewall& f, json::array entities) {
    return json::object{{"id", f.id},
                        {"label", f.label},
                        {"created", f.created},
                        {"updated", f.updated},
                        {"status", f.status},
                        {"rules", render_rules(f.rules, f.rules_version)},
                        {"tags", json::value_from(f.tags)},
                        {"entities", std::move(entities)}};
}

// Adds each firewall's devices to the page's documents, read in one statement.
void add_entities(store::Transaction& tx, const store::Rows& rows, std::vector<std::string>& docs) {
    std::vector<std::int64_t> keys;
    for (const auto& row : rows) keys.push_back(row.integer("id"));
    store::Params ids;
    const std::string marks = store::placeholders(keys, ids);
    std::map<std::int64_t, json::array> of;
    for (const auto& row :
         tx.query(std::string(statements::entities_of) + marks + ") ORDER BY d.firewall_id, d.id",
                  ids)) {
        const auto linode = row.optional_integer("linode_id");
        of[row.integer("firewall_id")].push_back(
            linode ? entity_of("linode", *linode, row.optional_text("linode_label").value_or(""))
                   : entity_of("nodebalancer", row.optional_integer("nodebalancer_id").value_or(0),
                               row.optional_text("linode_label").value_or("")));
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto it = of.find(rows[i].integer("id"));
        if (it == of.end()) continue;
        auto doc = json::parse(docs[i]).as_object();
        doc["entities"] = std::move(it->second);
        docs[i] = to_json(doc);
    }
}

store::Listing make_listing(std::string visible, store::Params params) {
    store::Listing l{"firewalls", kFirewalls, "{{account}} AND (" + visible + ")",
                     std::move(params)};
    l.columns = std::string(statements::columns);
    l.members = store::Listing::Members{"firewall_tags", "firewall_id", "tag", "position, tag"};
    l.render_with_members = [](const store::Row& r, const std::vector<std::string>& tags) {
        Firewall f = from_row(r);
        f.tags = tags;
        return to_json(document(f, json::array{}));
    };
    l.complete = add_entities;
    return l;
}

}  // namespace

std::int64_t FirewallRepository::insert(const Firewall& f) {
    const auto now = now_utc();
    const std::int64_t id =
        tx_.query(statements::insert, {tx_.scope().account_id(), f.label, f.status, now, now})
            .at(0)
            .integer("id");
    std::int64_t position = 0;
    for (const auto& tag : f.tags) tx_.write(statements::add_tag, {id, tag, position++});
    tx_.write(statements::add_rules,
              {id, std::int64_t{1}, to_json(render(f.rules)), f.status, now});
    return id;
}

std::optional<Firewall> FirewallRepository::find(std::int64_t id) {
    auto rows = store::scoped_query(
        tx_, store::locking(tx_, statements::find_in_account, " OF firewalls"), {id});
    if (rows.empty()) return std::nullopt;
    Firewall f = from_row(rows.front());
    for (const auto& row : tx_.query(statements::tags_of, {id})) f.tags.push_back(row.text("tag"));
    f.stored_tags = f.tags;
    return f;
}

void FirewallRepository::save(Firewall& f) {
    f.updated = now_utc();
    store::scoped_write(tx_, statements::save,
                        {f.label, f.status, f.rules_version, f.updated, f.id});
    if (f.tags == f.stored_tags) return;
    tx_.write(statements::clear_tags, {f.id});
    std::int64_t position = 0;
    for (const auto& tag : f.tags) tx_.write(statements::add_tag, {f.id, tag, position++});
    f.stored_tags = f.tags;
}

void FirewallRepository::add_rules_version(Firewall& f) {
    ++f.rules_version;
    tx_.write(statements::add_rules,
              {f.id, f.rules_version, to_json(render(f.rules)), f.status, now_utc()});
    save(f);
}

void FirewallRepository::remove(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id});
}

bool FirewallRepository::label_taken(const std::string& label, std::int64_t except_id) {
    return !store::scoped_query(tx_, statements::label_taken, {label, except_id}).empty();
}

std::optional<RulesVersion> FirewallRepository::rules_version(std::int64_t firewall_id,
                                                              std::int64_t version) {
    auto rows = store::scoped_query(tx_, statements::rules_version, {firewall_id, version});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows.front();
    return RulesVersion{r.integer("version"),
                        parse_stored(json::parse(r.text("rules")).as_object()), r.text("status"),
                        r.text("created")};
}

std::vector<std::pair<std::int64_t, std::string>> FirewallRepository::names() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& row : store::scoped_query(tx_, statements::names, {}))
        out.emplace_back(row.integer("id"), row.text("label"));
    return out;
}

std::int64_t FirewallRepository::add_device(std::int64_t firewall_id, const std::string& type,
                                            std::int64_t entity_id) {
    const auto now = now_utc();
    const bool linode = type == "linode";
    return tx_
        .query(statements::add_device,
               {firewall_id, tx_.scope().account_id(),
                linode ? store::SqlValue(entity_id) : store::SqlValue(),
                linode ? store::SqlValue() : store::SqlValue(entity_id), now, now})
        .at(0)
        .integer("id");
}

std::optional<Device> FirewallRepository::find_device(std::int64_t firewall_id,
                                                      std::int64_t device_id) {
    auto rows =
        store::scoped_query(tx_, statements::device_base + "AND d.firewall_id = ? AND d.id = ?",
                            {firewall_id, device_id});
    if (rows.empty()) return std::nullopt;
    return device_from_row(rows.front());
}

std::optional<Device> FirewallRepository::device_for(std::int64_t firewall_id,
                                                     const std::string& type,
                                                     std::int64_t entity_id) {
    auto rows =
        store::scoped_query(tx_,
                            statements::device_base + "AND d.firewall_id = ? AND d." +
                                (type == "linode" ? "linode_id" : "nodebalancer_id") + " = ?",
                            {firewall_id, entity_id});
    if (rows.empty()) return std::nullopt;
    return device_from_row(rows.front());
}

void FirewallRepository::remove_devices_of(const std::string& type, std::int64_t entity_id) {
    store::scoped_execute(tx_,
                          type == "linode" ? statements::remove_linode_devices
                                           : statements::remove_nodebalancer_devices,
                          {entity_id});
}

void FirewallRepository::remove_device(std::int64_t device_id) {
    store::scoped_execute(tx_, statements::remove_device, {device_id});
}

std::vector<Device> FirewallRepository::devices_of(std::int64_t firewall_id) {
    std::vector<Device> out;
    for (const auto& row : store::scoped_query(
             tx_, statements::device_base + "AND d.firewall_id = ? ORDER BY d.id", {firewall_id}))
        out.push_back(device_from_row(row));
    return out;
}

std::vector<std::int64_t> FirewallRepository::enabled_firewalls_of(const std::string& type,
                                                                   std::int64_t entity_id,
                                                                   std::int64_t except) {
    std::vector<std::int64_t> out;
    for (const auto& row : tx_.query(
             type == "linode" ? statements::enabled_of_linode : statements::enabled_of_nodebalancer,
             {entity_id, except}))
        out.push_back(row.integer("id"));
    return out;
}

std::vector<Firewall> FirewallRepository::of_linode(std::int64_t linode_id) {
    std::vector<Firewall> out;
    for (const auto& row : tx_.query(statements::of_linode, {linode_id}))
        if (auto f = find(row.integer("firewall_id"))) out.push_back(std::move(*f));
    return out;
}

std::map<std::int64_t, Rules> FirewallRepository::enforced_on_node(const std::string& node) {
    std::map<std::int64_t, Rules> out;
    for (const auto& row : tx_.query(statements::enforced_on_node, {node}))
        out.try_emplace(row.integer("linode_id"),
                        parse_stored(json::parse(row.text("rules")).as_object()));
    return out;
}

store::Listing FirewallRepository::listing(const std::pair<std::string, store::Params>& visible) {
    return make_listing(visible.first, visible.second);
}

store::Listing FirewallRepository::of_linode_listing(
    std::int64_t linode_id, const std::pair<std::string, store::Params>& visible) {
    store::Params params{linode_id};
    params.insert(params.end(), visible.second.begin(), visible.second.end());
    return make_listing(std::string(statements::linode_devices) + "(" + visible.first + ")",
                        std::move(params));
}

store::Listing FirewallRepository::of_nodebalancer_listing(
    std::int64_t nodebalancer_id, const std::pair<std::string, store::Params>& visible) {
    store::Params params{nodebalancer_id};
    params.insert(params.end(), visible.second.begin(), visible.second.end());
    return make_listing(std::string(statements::nodebalancer_devices) + "(" + visible.first + ")",
                        std::move(params));
}

store::Listing FirewallRepository::device_listing(std::int64_t firewall_id) {
    store::Listing l{
        "firewall_devices", kDevices, "{{account}} AND firewall_id = ?", {firewall_id}};
    l.columns =
        "id, firewall_id, linode_id, nodebalancer_id, created, updated, COALESCE((SELECT l.label "
        "FROM linodes l WHERE l.id = firewall_devices.linode_id), (SELECT b.label FROM "
        "nodebalancers b WHERE b.id = firewall_devices.nodebalancer_id)) AS linode_label";
    l.render = [](const store::Row& r) { return render(device_from_row(r)); };
    return l;
}

store::Listing FirewallRepository::history(std::int64_t firewall_id) {
    store::Listing l{"firewall_rules",
                     kHistory,
                     "firewall_id = ? AND firewall_id IN (SELECT id FROM firewalls WHERE "
                     "{{account}})",
                     {firewall_id}};
    l.columns = "version AS id, version, status, created";
    l.render = [](const store::Row& r) {
        return to_json(json::object{{"updated", r.text("created")},
                                    {"status", r.text("status")},
                                    {"rules", json::object{{"version", r.integer("version")}}}});
    };
    return l;
}

std::string render(const Firewall& f, const std::vector<Device>& devices) {
    json::array entities;
    for (const auto& d : devices) entities.push_back(entity_of(d.type, d.entity_id, d.label));
    return to_json(document(f, std::move(entities)));
}

json::object render_rules(const Rules& rules, std::int64_t version) {
    auto doc = render(rules);
    doc["version"] = version;
    doc["fingerprint"] = fingerprint(rules);
    return doc;
}

std::string render(const Device& d) {
    return to_json(json::object{{"id", d.id},
                                {"created", d.created},
                                {"updated", d.updated},
                                {"entity", entity_of(d.type, d.entity_id, d.label)}});
}

std::int64_t FirewallRepository::release_linode(std::int64_t linode_id) {
    return tx_.execute(statements::release_linode, {linode_id});
}

}  // namespace linnet::firewalls
