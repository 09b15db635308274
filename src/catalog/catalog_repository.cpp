// Statements on the catalog's tables.
#include "catalog/catalog_repository.hpp"

#include <mutex>
#include <unordered_map>

#include "catalog/document_fields.hpp"
#include "core/filter/filter_sql.hpp"
#include "core/json.hpp"

namespace linnet::catalog {

namespace statements {
constexpr std::string_view save_region =
    "INSERT INTO regions (id, sort, label, country, site_type, status, doc) VALUES (?, ?, ?, ?, "
    "?, ?, ?) ON CONFLICT (id) DO UPDATE SET sort = excluded.sort, label = excluded.label, "
    "country = excluded.country, site_type = excluded.site_type, status = excluded.status, doc "
    "= excluded.doc";
constexpr std::string_view save_type =
    "INSERT INTO linode_types (id, sort, label, class, disk, memory, vcpus, gpus, "
    "network_out, transfer, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) "
    "DO UPDATE SET sort = excluded.sort, label = excluded.label, class = excluded.class, "
    "disk = excluded.disk, memory = excluded.memory, vcpus = excluded.vcpus, gpus = "
    "excluded.gpus, network_out = excluded.network_out, transfer = excluded.transfer, doc "
    "= excluded.doc";
constexpr std::string_view save_kernel =
    "INSERT INTO kernels (id, sort, label, version, kvm, xen, pvops, architecture, "
    "deprecated, built, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO "
    "UPDATE SET sort = excluded.sort, label = excluded.label, version = excluded.version, "
    "kvm = excluded.kvm, xen = excluded.xen, pvops = excluded.pvops, architecture = "
    "excluded.architecture, deprecated = excluded.deprecated, built = excluded.built, doc "
    "= excluded.doc";
constexpr std::string_view save_availability =
    "INSERT INTO region_availability (region, plan, sort, available, doc) VALUES (?, ?, ?, "
    "?, ?) ON CONFLICT (region, plan) DO UPDATE SET sort = excluded.sort, available = "
    "excluded.available, doc = excluded.doc";
constexpr std::string_view region_exists = "SELECT 1 AS found FROM regions WHERE id = ?";
constexpr std::string_view find_region = "SELECT doc FROM regions WHERE id = ?";
constexpr std::string_view find_region_capabilities = "SELECT id, doc FROM regions WHERE id = ?";
constexpr std::string_view all_region_capabilities =
    "SELECT id, doc FROM regions ORDER BY sort, id";
constexpr std::string_view region_availability =
    "SELECT doc FROM region_availability WHERE region = ? ORDER BY sort";
constexpr std::string_view find_type = "SELECT doc FROM linode_types WHERE id = ?";
constexpr std::string_view kernel_exists = "SELECT 1 AS found FROM kernels WHERE id = ?";
constexpr std::string_view find_kernel = "SELECT doc FROM kernels WHERE id = ?";
constexpr std::string_view region_capabilities_columns = "id, doc";
}  // namespace statements

namespace {

namespace json = boost::json;
using filter::FieldType;
using namespace fields;

const filter::Schema kRegions{{
                                  {"country", "country", FieldType::text},
                                  {"site_type", "site_type", FieldType::text},
                              },
                              "sort"};

const filter::Schema kAvailability{{
                                       {"region", "region", FieldType::text},
                                       {"plan", "plan", FieldType::text},
                                       {"available", "available", FieldType::boolean},
                                   },
                                   "sort"};

const filter::Schema kTypes{{
                                {"label", "label", FieldType::text},
                                {"class", "class", FieldType::text},
                                {"disk", "disk", FieldType::integer},
                                {"memory", "memory", FieldType::integer},
                                {"vcpus", "vcpus", FieldType::integer},
                                {"gpus", "gpus", FieldType::integer},
                                {"network_out", "network_out", FieldType::integer},
                                {"transfer", "transfer", FieldType::integer},
                            },
                            "sort"};

const filter::Schema kKernels{{
                                  {"label", "label", FieldType::text},
                                  {"version", "version", FieldType::text},
                                  {"architecture", "architecture", FieldType::text},
                                  {"kvm", "kvm", FieldType::boolean},
                                  {"pvops", "pvops", FieldType::boolean},
                                  {"deprecated", "deprecated", FieldType::boolean},
                              },
                              "sort"};

const filter::Schema kKernels2016{{
                                      {"label", "label", FieldType::text},
                                      {"version", "version", FieldType::text},
                                      {"kvm", "kvm", FieldType::boolean},
                                      {"deprecated", "deprecated", FieldType::boolean},
                                  },
                                  "sort"};

// The account's availability lists regions by id, filterable as "region".
const filter::Schema kRegionCapabilities{{{"region", "id", FieldType::text}}, "sort"};

// A region's capabilities are those of its document (the catalog's, written by save_region).
RegionCapabilities from_row(const store::Row& row) {
    RegionCapabilities region{row.text("id"), {}};
    const auto doc = json::parse(row.text("doc"));
    if (const auto* list = doc.as_object().if_contains("capabilities"); list && list->is_array())
        for (const auto& c : list->as_array())
            if (c.is_string()) region.capabilities.emplace_back(c.as_string());
    return region;
}

std::optional<json::object> document(const store::Rows& rows) {
    if (rows.empty()) return std::nullopt;
    return json::parse(rows.front().text("doc")).as_object();
}

}  // namespace

bool RegionCapabilities::has(std::string_view capability) const {
    for (const auto& c : capabilities)
        if (c == capability) return true;
    return false;
}

void CatalogRepository::save_region(const json::object& r, std::int64_t sort) {
    tx_.execute(statements::save_region, {str(r, "id"), sort, str(r, "label"), str(r, "country"),
                                          str(r, "site_type"), str(r, "status"), to_json(r)});
}

void CatalogRepository::save_type(const json::object& t, std::int64_t sort) {
    tx_.execute(
        statements::save_type,
        {str(t, "id"), sort, str(t, "label"), str(t, "class"), num(t, "disk"), num(t, "memory"),
         num(t, "vcpus"), num(t, "gpus"), num(t, "network_out"), num(t, "transfer"), to_json(t)});
}

void CatalogRepository::save_kernel(const json::object& k, std::int64_t sort) {
    tx_.execute(statements::save_kernel,
                {str(k, "id"), sort, str(k, "label"), str(k, "version"), flag(k, "kvm"),
                 flag(k, "xen"), flag(k, "pvops"), str(k, "architecture"), flag(k, "deprecated"),
                 opt_str(k, "built"), to_json(k)});
}

void CatalogRepository::save_availability(const json::object& a, std::int64_t sort) {
    tx_.execute(statements::save_availability,
                {str(a, "region"), str(a, "plan"), sort, flag(a, "available"), to_json(a)});
}

store::Listing CatalogRepository::regions() {
    return {"regions", kRegions};
}

store::Listing CatalogRepository::availability() {
    return {"region_availability", kAvailability};
}

store::Listing CatalogRepository::types() {
    return {"linode_types", kTypes};
}

store::Listing CatalogRepository::kernels() {
    return {"kernels", kKernels};
}

store::Listing CatalogRepository::kernels_2016() {
    return {"kernels", kKernels2016};
}

store::Listing CatalogRepository::region_capabilities(
    std::function<std::string(const RegionCapabilities&)> render) {
    store::Listing listing{"regions", kRegionCapabilities};
    listing.columns = statements::region_capabilities_columns;
    listing.render = [render = std::move(render)](const store::Row& row) {
        return render(from_row(row));
    };
    return listing;
}

bool CatalogRepository::region_exists(const std::string& id) {
    return !tx_.query(statements::region_exists, {id}).empty();
}

// Catalog documents do not change while Linnet runs (every process loads the same catalog at
// start), so a document once found by its id is kept in the process: a create reads its type
// and region without a round trip each. A row added since (a test's legacy type) is found on
// its first lookup; nothing is kept of an id that was not found.
namespace {

template <class Document>
class Kept {
  public:
    template <class Read>
    std::optional<Document> get(const std::string& id, Read read) {
        {
            std::lock_guard lock(mutex_);
            if (auto it = documents_.find(id); it != documents_.end()) return it->second;
        }
        auto found = read();
        if (found) {
            std::lock_guard lock(mutex_);
            documents_.emplace(id, *found);
        }
        return found;
    }

  private:
    std::mutex mutex_;
    std::unordered_map<std::string, Document> documents_;
};

Kept<json::object>& kept_regions() {
    static Kept<json::object> kept;
    return kept;
}

Kept<RegionCapabilities>& kept_capabilities() {
    static Kept<RegionCapabilities> kept;
    return kept;
}

Kept<json::object>& kept_types() {
    static Kept<json::object> kept;
    return kept;
}

}  // namespace

std::optional<json::object> CatalogRepository::find_region(const std::string& id) {
    return kept_regions().get(id,
                              [&] { return document(tx_.query(statements::find_region, {id})); });
}

std::vector<RegionCapabilities> CatalogRepository::all_region_capabilities() {
    std::vector<RegionCapabilities> out;
    for (const auto& row : tx_.query(statements::all_region_capabilities))
        out.push_back(from_row(row));
    return out;
}

std::optional<RegionCapabilities> CatalogRepository::find_region_capabilities(
    const std::string& id) {
    return kept_capabilities().get(id, [&]() -> std::optional<RegionCapabilities> {
        auto rows = tx_.query(statements::find_region_capabilities, {id});
        if (rows.empty()) return std::nullopt;
        return from_row(rows.front());
    });
}

std::vector<std::string> CatalogRepository::region_availability(const std::string& region) {
    std::vector<std::string> out;
    for (const auto& row : tx_.query(statements::region_availability, {region}))
        out.push_back(row.text("doc"));
    return out;
}

std::optional<json::object> CatalogRepository::find_type(const std::string& id) {
    return kept_types().get(id, [&] { return document(tx_.query(statements::find_type, {id})); });
}

bool CatalogRepository::kernel_exists(const std::string& id) {
    return !tx_.query(statements::kernel_exists, {id}).empty();
}

std::optional<json::object> CatalogRepository::find_kernel(const std::string& id) {
    return document(tx_.query(statements::find_kernel, {id}));
}

}  // namespace linnet::catalog
