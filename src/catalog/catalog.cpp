// Loading the embedded catalog documents into their tables, keeping the catalog's own order.
#include "catalog/catalog.hpp"

#include <boost/json.hpp>

#include <string_view>
#include "core/json.hpp"

#include "core/filter/filter_sql.hpp"

namespace linnet::catalog {

namespace embedded {
extern const std::string_view regions;
extern const std::string_view types;
extern const std::string_view kernels;
extern const std::string_view images;
extern const std::string_view availability;
}  // namespace embedded

namespace {

namespace json = boost::json;

std::string str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
store::SqlValue opt_str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v && v->is_string()) return std::string(v->as_string());
    return std::monostate{};
}
std::int64_t num(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return 0;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
    return 0;
}
std::int64_t flag(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_bool() && v->as_bool() ? 1 : 0;
}
std::string list(const json::object& o, std::string_view key) {
    std::vector<std::string> items;
    if (const auto* v = o.if_contains(key); v && v->is_array())
        for (const auto& item : v->as_array())
            if (item.is_string()) items.emplace_back(item.as_string());
    return filter::encode_text_list(items);
}

json::array load(std::string_view text) {
    return json::parse(text).as_array();
}

}  // namespace

void seed(store::Database& db) {
    auto tx = db.begin(store::Access::write);
    std::int64_t sort = 0;
    for (const auto& item : load(embedded::regions)) {
        const auto& r = item.as_object();
        tx->execute(
            "INSERT INTO regions (id, sort, label, country, site_type, status, capabilities, doc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET sort = excluded.sort, "
            "label = excluded.label, country = excluded.country, site_type = excluded.site_type, "
            "status = excluded.status, capabilities = excluded.capabilities, doc = excluded.doc",
            {str(r, "id"), sort++, str(r, "label"), str(r, "country"), str(r, "site_type"),
             str(r, "status"), list(r, "capabilities"), to_json(r)});
    }
    sort = 0;
    for (const auto& item : load(embedded::types)) {
        const auto& t = item.as_object();
        tx->execute(
            "INSERT INTO linode_types (id, sort, label, class, disk, memory, vcpus, gpus, "
            "network_out, transfer, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) "
            "DO UPDATE SET sort = excluded.sort, label = excluded.label, class = excluded.class, "
            "disk = excluded.disk, memory = excluded.memory, vcpus = excluded.vcpus, gpus = "
            "excluded.gpus, network_out = excluded.network_out, transfer = excluded.transfer, doc "
            "= excluded.doc",
            {str(t, "id"), sort++, str(t, "label"), str(t, "class"), num(t, "disk"),
             num(t, "memory"), num(t, "vcpus"), num(t, "gpus"), num(t, "network_out"),
             num(t, "transfer"), to_json(t)});
    }
    sort = 0;
    for (const auto& item : load(embedded::kernels)) {
        const auto& k = item.as_object();
        tx->execute(
            "INSERT INTO kernels (id, sort, label, version, kvm, xen, pvops, architecture, "
            "deprecated, built, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO "
            "UPDATE SET sort = excluded.sort, label = excluded.label, version = excluded.version, "
            "kvm = excluded.kvm, xen = excluded.xen, pvops = excluded.pvops, architecture = "
            "excluded.architecture, deprecated = excluded.deprecated, built = excluded.built, doc "
            "= excluded.doc",
            {str(k, "id"), sort++, str(k, "label"), str(k, "version"), flag(k, "kvm"),
             flag(k, "xen"), flag(k, "pvops"), str(k, "architecture"), flag(k, "deprecated"),
             opt_str(k, "built"), to_json(k)});
    }
    sort = 0;
    for (const auto& item : load(embedded::images)) {
        const auto& i = item.as_object();
        tx->execute(
            "INSERT INTO images (id, sort, label, description, created, created_by, deprecated, "
            "is_public, size, type, vendor, status, capabilities, tags, doc) VALUES (?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET sort = "
            "excluded.sort, label = excluded.label, description = excluded.description, created = "
            "excluded.created, created_by = excluded.created_by, deprecated = excluded.deprecated, "
            "is_public = excluded.is_public, size = excluded.size, type = excluded.type, vendor = "
            "excluded.vendor, status = excluded.status, capabilities = excluded.capabilities, tags "
            "= excluded.tags, doc = excluded.doc WHERE images.built IS NULL",
            {str(i, "id"), sort++, str(i, "label"), opt_str(i, "description"), str(i, "created"),
             opt_str(i, "created_by"), flag(i, "deprecated"), flag(i, "is_public"), num(i, "size"),
             str(i, "type"), opt_str(i, "vendor"), str(i, "status"), list(i, "capabilities"),
             list(i, "tags"), to_json(i)});
    }
    sort = 0;
    for (const auto& item : load(embedded::availability)) {
        const auto& a = item.as_object();
        tx->execute(
            "INSERT INTO region_availability (region, plan, sort, available, doc) VALUES (?, ?, ?, "
            "?, ?) ON CONFLICT (region, plan) DO UPDATE SET sort = excluded.sort, available = "
            "excluded.available, doc = excluded.doc",
            {str(a, "region"), str(a, "plan"), sort++, flag(a, "available"), to_json(a)});
    }
    tx->commit();
}

}  // namespace linnet::catalog
