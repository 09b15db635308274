// Reading, writing and rendering Linodes.
#include "linodes/instances.hpp"

#include <cctype>

#include "core/error.hpp"
#include "core/filter/filter_sql.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace linnet::linodes {

namespace json = boost::json;

namespace {

const char* kColumns =
    "id, user_id, label, region, type, image, status, group_name, tags, d.settings, created, "
    "updated";

Instance from_row(const store::Row& r) {
    Instance i;
    i.id = r.integer(0);
    i.user_id = r.integer(1);
    i.label = r.text(2);
    i.region = r.text(3);
    i.type = r.text(4);
    if (!r.is_null(5)) i.image = r.text(5);
    i.status = r.text(6);
    i.group = r.text(7);
    i.tags = filter::decode_text_list(r.text(8));
    i.settings = json::parse(r.text(9)).as_object();
    i.created = r.text(10);
    i.updated = r.text(11);
    return i;
}

std::string render(store::Transaction& tx, const Instance& l) {
    auto addresses = tx.query(
        "SELECT address, family, kind FROM ips WHERE linode_id = ? ORDER BY public DESC, "
        "address",
        {l.id});
    json::array ipv4;
    json::value ipv6 = nullptr;
    for (const auto& a : addresses) {
        if (a.text(1) == "ipv4")
            ipv4.push_back(json::string(a.text(0)));
        else if (a.text(2) == "slaac")
            ipv6 = json::string(a.text(0) + "/128");
    }
    json::array tags;
    for (const auto& t : l.tags) tags.push_back(json::string(t));
    const auto& s = l.settings;
    json::object doc{{"id", l.id},
                     {"label", l.label},
                     {"group", l.group},
                     {"status", l.status},
                     {"created", l.created},
                     {"updated", l.updated},
                     {"type", l.type},
                     {"ipv4", std::move(ipv4)},
                     {"ipv6", std::move(ipv6)},
                     {"image", l.image ? json::value(*l.image) : json::value(nullptr)},
                     {"region", l.region},
                     {"site_type", "core"},
                     {"specs", s.at("specs")},
                     {"alerts", s.at("alerts")},
                     {"backups", s.at("backups")},
                     {"hypervisor", "kvm"},
                     {"watchdog_enabled", s.at("watchdog_enabled")},
                     {"tags", std::move(tags)},
                     {"host_uuid", s.at("host_uuid")},
                     {"has_user_data", s.at("has_user_data")},
                     {"placement_group", nullptr},
                     {"disk_encryption", s.at("disk_encryption")},
                     {"lke_cluster_id", nullptr},
                     {"capabilities", json::array{}},
                     {"interface_generation", "legacy_config"}};
    return to_json(doc);
}

std::string ipv4_column(store::Transaction& tx, std::int64_t id) {
    std::vector<std::string> list;
    for (const auto& row :
         tx.query("SELECT address FROM ips WHERE linode_id = ? AND family = 'ipv4'", {id}))
        list.push_back(row.text(0));
    return filter::encode_text_list(list);
}

}  // namespace

std::optional<Instance> find(store::Transaction& tx, std::int64_t id) {
    auto rows = tx.query(std::string("SELECT ") + kColumns +
                             " FROM linodes JOIN linode_docs d ON d.linode_id = linodes.id WHERE "
                             "id = ?",
                         {id});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

Instance get(store::Transaction& tx, std::int64_t id) {
    auto found = find(tx, id);
    if (!found) throw errors::not_found();
    return *found;
}

void save(store::Transaction& tx, Instance& l) {
    l.updated = now_utc();
    store::SqlValue image = std::monostate{};
    if (l.image) image = *l.image;
    tx.execute(
        "UPDATE linodes SET label = ?, region = ?, type = ?, image = ?, status = ?, group_name = "
        "?, tags = ?, ipv4 = ?, updated = ? WHERE id = ?",
        {l.label, l.region, l.type, image, l.status, l.group, filter::encode_text_list(l.tags),
         ipv4_column(tx, l.id), l.updated, l.id});
    tx.execute("DELETE FROM linode_tags WHERE linode_id = ?", {l.id});
    for (const auto& tag : l.tags)
        tx.execute("INSERT INTO linode_tags (linode_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
                   {l.id, tag});
    tx.execute(
        "INSERT INTO linode_docs (linode_id, settings, doc) VALUES (?, ?, ?) ON CONFLICT "
        "(linode_id) DO UPDATE SET settings = excluded.settings, doc = excluded.doc",
        {l.id, to_json(l.settings), render(tx, l)});
}

void set_status(store::Transaction& tx, std::int64_t id, const std::string& status) {
    auto l = find(tx, id);
    if (!l || l->status == status) return;
    l->status = status;
    save(tx, *l);
}

void refresh(store::Transaction& tx, std::int64_t id) {
    if (auto l = find(tx, id)) save(tx, *l);
}

bool valid_label(std::string_view label) {
    if (label.size() < 3 || label.size() > 64) return false;
    auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    if (!alnum(label.front()) || !alnum(label.back())) return false;
    for (std::size_t i = 0; i < label.size(); ++i) {
        const char c = label[i];
        const bool sep = c == '-' || c == '_' || c == '.';
        if (!alnum(c) && !sep) return false;
        if (sep && i + 1 < label.size() && label[i + 1] == c) return false;
    }
    return true;
}

bool label_taken(store::Transaction& tx, const std::string& label, std::int64_t except) {
    return !tx.query("SELECT 1 FROM linodes WHERE label = ? AND id <> ?", {label, except}).empty();
}

std::optional<json::object> find_type(store::Transaction& tx, const std::string& id) {
    auto rows = tx.query("SELECT doc FROM linode_types WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return json::parse(rows.front().text(0)).as_object();
}

json::object specs_of(const json::object& type) {
    return json::object{{"disk", type.at("disk")},         {"memory", type.at("memory")},
                        {"vcpus", type.at("vcpus")},       {"gpus", type.at("gpus")},
                        {"transfer", type.at("transfer")}, {"accelerated_devices", 0}};
}

std::string disk_doc(const store::Row& r) {
    return to_json(json::object{{"id", r.integer(0)},
                                {"label", r.text(1)},
                                {"status", r.text(2)},
                                {"size", r.integer(3)},
                                {"filesystem", r.text(4)},
                                {"created", r.text(5)},
                                {"updated", r.text(6)},
                                {"disk_encryption", "disabled"}});
}

json::object address_doc(const store::Row& r, const std::string& linode_label) {
    const std::int64_t linode_id = r.integer(1);
    json::object doc{{"address", r.text(0)},
                     {"gateway", r.is_null(6) ? json::value(nullptr) : json::value(r.text(6))},
                     {"subnet_mask", r.text(7)},
                     {"prefix", r.integer(5)},
                     {"type", r.text(2)},
                     {"public", r.boolean(4)},
                     {"rdns", r.is_null(9) ? json::value(nullptr) : json::value(r.text(9))},
                     {"linode_id", linode_id},
                     {"region", r.text(8)}};
    if (r.text(2) == "ipv4") {
        doc["interface_id"] = nullptr;
        doc["vpc_nat_1_1"] = nullptr;
        doc["reserved"] = false;
        doc["assigned_entity"] =
            json::object{{"id", linode_id},
                         {"type", "linode"},
                         {"label", linode_label},
                         {"url", "/v4/linode/instances/" + std::to_string(linode_id)}};
    }
    return doc;
}

}  // namespace linnet::linodes
