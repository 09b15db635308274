// Statements on vpcs and vpc_subnets, and their documents.
#include "vpcs/vpc_repository.hpp"

#include <boost/json.hpp>
#include <map>

#include "core/json.hpp"
#include "core/time.hpp"
#include "store/scoped.hpp"
#include "vpcs/vpcs.hpp"

namespace linnet::vpcs {

namespace json = boost::json;

namespace statements {
constexpr std::string_view columns = "id, account_id, label, region, description, created, updated";
constexpr std::string_view insert =
    "INSERT INTO vpcs (account_id, label, region, description, created, updated) VALUES (?, ?, ?, "
    "?, ?, ?) RETURNING id";
const std::string find_in_account =
    "SELECT " + std::string(columns) + " FROM vpcs WHERE id = ? AND {{account}}";
constexpr std::string_view save =
    "UPDATE vpcs SET label = ?, description = ?, updated = ? WHERE id = ? AND {{account}}";
constexpr std::string_view remove = "DELETE FROM vpcs WHERE id = ? AND {{account}}";
constexpr std::string_view label_taken =
    "SELECT 1 AS found FROM vpcs WHERE label = ? AND id <> ? AND {{account}}";
constexpr std::string_view names = "SELECT id, label FROM vpcs WHERE {{account}} ORDER BY id";
constexpr std::string_view subnet_columns = "id, vpc_id, label, ipv4, created, updated";
constexpr std::string_view subnets_of =
    "SELECT id, vpc_id, label, ipv4, created, updated FROM vpc_subnets WHERE vpc_id IN (";
constexpr std::string_view insert_subnet =
    "INSERT INTO vpc_subnets (vpc_id, label, ipv4, created, updated) VALUES (?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view save_subnet =
    "UPDATE vpc_subnets SET label = ?, updated = ? WHERE id = ? AND vpc_id IN (SELECT id FROM "
    "vpcs WHERE {{account}})";
constexpr std::string_view remove_subnet =
    "DELETE FROM vpc_subnets WHERE id = ? AND vpc_id IN (SELECT id FROM vpcs WHERE {{account}})";
constexpr std::string_view find_subnet =
    "SELECT s.id, s.vpc_id, s.label, s.ipv4, s.created, s.updated, v.region FROM vpc_subnets s "
    "JOIN vpcs v ON v.id = s.vpc_id WHERE s.id = ? AND {{account:v.account_id}}";
constexpr std::string_view interfaces_in =
    "SELECT p.subnet_id, p.linode_id, p.interface_id, p.config_id, CASE WHEN l.status = "
    "'running' AND l.booted_config_id = p.config_id THEN 1 ELSE 0 END AS active FROM vpc_ips p "
    "JOIN linodes l ON l.id = p.linode_id WHERE p.address IS NOT NULL AND p.subnet_id IN (";
constexpr std::string_view vpc_in_use = "SELECT 1 AS found FROM vpc_ips WHERE vpc_id = ? LIMIT 1";
constexpr std::string_view subnet_in_use =
    "SELECT 1 AS found FROM vpc_ips WHERE subnet_id = ? LIMIT 1";
// Each address or range of a vpc interface, with its subnet and VPC.
constexpr std::string_view vpc_ips =
    "(SELECT p.id AS id, p.address AS address, p.address_range AS address_range, p.vpc_id AS "
    "vpc_id, p.subnet_id AS subnet_id, p.linode_id AS linode_id, p.config_id AS config_id, "
    "p.interface_id AS interface_id, p.nat_1_1 AS nat_1_1, s.ipv4 AS subnet_range, v.region AS "
    "region, v.account_id AS account_id, CASE WHEN l.status = 'running' AND l.booted_config_id "
    "= p.config_id THEN 1 ELSE 0 END AS active FROM vpc_ips p JOIN vpc_subnets s ON s.id = "
    "p.subnet_id JOIN vpcs v ON v.id = p.vpc_id JOIN linodes l ON l.id = p.linode_id) vpc_ips";
constexpr std::string_view vpc_ip_columns =
    "id, address, address_range, vpc_id, subnet_id, linode_id, config_id, interface_id, "
    "nat_1_1, subnet_range, region, active";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kVpcs{{
                               {"id", "id", FieldType::integer},
                               {"label", "label", FieldType::text},
                               {"region", "region", FieldType::text},
                               {"description", "description", FieldType::text},
                               {"created", "created", FieldType::time},
                               {"updated", "updated", FieldType::time},
                           },
                           "id"};
const filter::Schema kSubnets{{
                                  {"id", "id", FieldType::integer},
                                  {"label", "label", FieldType::text},
                                  {"created", "created", FieldType::time},
                                  {"updated", "updated", FieldType::time},
                              },
                              "id"};

const filter::Schema kVpcIps{{
                                 {"active", "active", FieldType::boolean},
                                 {"config_id", "config_id", FieldType::integer},
                                 {"linode_id", "linode_id", FieldType::integer},
                                 {"region", "region", FieldType::text},
                                 {"vpc_id", "vpc_id", FieldType::integer},
                             },
                             "id"};

Vpc from_row(const store::Row& r) {
    Vpc v;
    v.id = r.integer("id");
    v.account_id = r.integer("account_id");
    v.label = r.text("label");
    v.region = r.text("region");
    v.description = r.text("description");
    v.created = r.text("created");
    v.updated = r.text("updated");
    return v;
}

Subnet subnet_from_row(const store::Row& r) {
    Subnet s;
    s.id = r.integer("id");
    s.vpc_id = r.integer("vpc_id");
    s.label = r.text("label");
    s.ipv4 = r.text("ipv4");
    s.created = r.text("created");
    s.updated = r.text("updated");
    return s;
}

std::pair<std::string, store::Params> id_list(const std::vector<std::int64_t>& ids) {
    store::Params params;
    const std::string marks = store::placeholders(ids, params);
    return {marks, params};
}

// The interfaces in each subnet, read in one statement.
std::map<std::int64_t, std::vector<SubnetInterface>> interfaces_in(
    store::Transaction& tx, const std::vector<std::int64_t>& subnet_ids) {
    std::map<std::int64_t, std::vector<SubnetInterface>> out;
    if (subnet_ids.empty()) return out;
    auto [marks, params] = id_list(subnet_ids);
    for (const auto& row : tx.query(std::string(statements::interfaces_in) + marks +
                                        ") ORDER BY p.linode_id, p.config_id, p.interface_id",
                                    params))
        out[row.integer("subnet_id")].push_back(
            {row.integer("linode_id"), row.integer("interface_id"), row.integer("config_id"),
             row.integer("active") != 0});
    return out;
}

// Each VPC's subnets with their interfaces, read in two statements.
std::map<std::int64_t, std::vector<Subnet>> subnets(store::Transaction& tx,
                                                    const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, std::vector<Subnet>> out;
    if (ids.empty()) return out;
    auto [marks, params] = id_list(ids);
    std::vector<std::int64_t> subnet_ids;
    for (const auto& row :
         tx.query(std::string(statements::subnets_of) + marks + ") ORDER BY vpc_id, id", params)) {
        out[row.integer("vpc_id")].push_back(subnet_from_row(row));
        subnet_ids.push_back(row.integer("id"));
    }
    auto members = interfaces_in(tx, subnet_ids);
    for (auto& [vpc, list] : out)
        for (auto& s : list) s.interfaces = std::move(members[s.id]);
    return out;
}

json::object subnet_doc(const Subnet& s) {
    // Each Linode with an interface in the subnet, with those interfaces.
    json::array linodes;
    for (const auto& i : s.interfaces) {
        if (linodes.empty() || linodes.back().as_object().at("id") != i.linode_id)
            linodes.push_back(json::object{{"id", i.linode_id}, {"interfaces", json::array{}}});
        linodes.back().as_object()["interfaces"].as_array().push_back(
            json::object{{"id", i.interface_id}, {"config_id", i.config_id}, {"active", i.active}});
    }
    return json::object{{"id", s.id},
                        {"label", s.label},
                        {"ipv4", s.ipv4},
                        {"ipv6", nullptr},
                        {"linodes", std::move(linodes)},
                        {"databases", json::array{}},
                        {"nodebalancers", json::array{}},
                        {"created", s.created},
                        {"updated", s.updated}};
}

}  // namespace

std::int64_t VpcRepository::insert(const Vpc& v) {
    const auto now = now_utc();
    const auto id = tx_.query(statements::insert, {tx_.scope().account_id(), v.label, v.region,
                                                   v.description, now, now})
                        .at(0)
                        .integer("id");
    for (auto s : v.subnets) {
        s.vpc_id = id;
        insert_subnet(s);
    }
    return id;
}

std::optional<Vpc> VpcRepository::find(std::int64_t id) {
    auto rows = store::scoped_query(
        tx_, store::locking(tx_, statements::find_in_account, " OF vpcs"), {id});
    if (rows.empty()) return std::nullopt;
    Vpc v = from_row(rows.front());
    v.subnets = std::move(subnets(tx_, {id})[id]);
    return v;
}

void VpcRepository::save(Vpc& v) {
    v.updated = now_utc();
    store::scoped_write(tx_, statements::save, {v.label, v.description, v.updated, v.id});
}

void VpcRepository::remove(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id});
}

bool VpcRepository::label_taken(const std::string& label, std::int64_t except_id) {
    return !store::scoped_query(tx_, statements::label_taken, {label, except_id}).empty();
}

std::vector<std::pair<std::int64_t, std::string>> VpcRepository::names() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& row : store::scoped_query(tx_, statements::names))
        out.emplace_back(row.integer("id"), row.text("label"));
    return out;
}

std::int64_t VpcRepository::insert_subnet(const Subnet& s) {
    const auto now = now_utc();
    return tx_.query(statements::insert_subnet, {s.vpc_id, s.label, s.ipv4, now, now})
        .at(0)
        .integer("id");
}

void VpcRepository::save_subnet(Subnet& s) {
    s.updated = now_utc();
    store::scoped_write(tx_, statements::save_subnet, {s.label, s.updated, s.id});
}

void VpcRepository::remove_subnet(std::int64_t subnet_id) {
    store::scoped_execute(tx_, statements::remove_subnet, {subnet_id});
}

std::vector<Subnet> VpcRepository::subnets_of(std::int64_t vpc_id) {
    return std::move(subnets(tx_, {vpc_id})[vpc_id]);
}

std::optional<SubnetOfVpc> VpcRepository::find_subnet(std::int64_t subnet_id) {
    auto rows = store::scoped_query(tx_, store::locking(tx_, statements::find_subnet, " OF s"),
                                    {subnet_id});
    if (rows.empty()) return std::nullopt;
    SubnetOfVpc out{subnet_from_row(rows.front()), rows.front().text("region")};
    out.subnet.interfaces = std::move(interfaces_in(tx_, {subnet_id})[subnet_id]);
    return out;
}

bool VpcRepository::vpc_in_use(std::int64_t vpc_id) {
    return !tx_.query(statements::vpc_in_use, {vpc_id}).empty();
}

bool VpcRepository::subnet_in_use(std::int64_t subnet_id) {
    return !tx_.query(statements::subnet_in_use, {subnet_id}).empty();
}

store::Listing VpcRepository::ip_listing(const std::pair<std::string, store::Params>& visible,
                                         std::optional<std::int64_t> vpc_id) {
    std::string where =
        "{{account}} AND linode_id IN (SELECT l.id FROM linodes l WHERE " + visible.first + ")";
    store::Params params = visible.second;
    if (vpc_id) {
        where += " AND vpc_id = ?";
        params.emplace_back(*vpc_id);
    }
    store::Listing l{std::string(statements::vpc_ips), kVpcIps, where, params};
    l.columns = std::string(statements::vpc_ip_columns);
    l.render = [](const store::Row& r) {
        const std::string range = r.text("subnet_range");
        auto text_or_null = [&](const char* column) {
            return r.is_null(column) ? json::value(nullptr) : json::value(r.text(column));
        };
        return to_json(json::object{{"address", text_or_null("address")},
                                    {"address_range", text_or_null("address_range")},
                                    {"vpc_id", r.integer("vpc_id")},
                                    {"subnet_id", r.integer("subnet_id")},
                                    {"region", r.text("region")},
                                    {"linode_id", r.integer("linode_id")},
                                    {"config_id", r.integer("config_id")},
                                    {"interface_id", r.integer("interface_id")},
                                    {"active", r.integer("active") != 0},
                                    {"nat_1_1", text_or_null("nat_1_1")},
                                    {"gateway", gateway_of(range)},
                                    {"prefix", prefix_of(range)},
                                    {"subnet_mask", mask_of(range)}});
    };
    return l;
}

store::Listing VpcRepository::listing(const std::pair<std::string, store::Params>& visible) {
    store::Listing l{"vpcs", kVpcs, "{{account}} AND (" + visible.first + ")", visible.second};
    l.columns = std::string(statements::columns);
    l.render = [](const store::Row& r) { return render(from_row(r)); };
    l.complete = [](store::Transaction& tx, const store::Rows& rows,
                    std::vector<std::string>& docs) {
        std::vector<std::int64_t> ids;
        for (const auto& row : rows) ids.push_back(row.integer("id"));
        auto of = subnets(tx, ids);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            Vpc v = from_row(rows[i]);
            v.subnets = std::move(of[v.id]);
            docs[i] = render(v);
        }
    };
    return l;
}

store::Listing VpcRepository::subnet_listing(std::int64_t vpc_id) {
    store::Listing l{"vpc_subnets",
                     kSubnets,
                     "vpc_id = ? AND vpc_id IN (SELECT id FROM vpcs WHERE {{account}})",
                     {vpc_id}};
    l.columns = std::string(statements::subnet_columns);
    l.render = [](const store::Row& r) { return render(subnet_from_row(r)); };
    l.complete = [](store::Transaction& tx, const store::Rows& rows,
                    std::vector<std::string>& docs) {
        std::vector<std::int64_t> ids;
        for (const auto& row : rows) ids.push_back(row.integer("id"));
        auto members = interfaces_in(tx, ids);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            Subnet s = subnet_from_row(rows[i]);
            s.interfaces = std::move(members[s.id]);
            docs[i] = render(s);
        }
    };
    return l;
}

std::string render(const Vpc& v) {
    json::array subnets;
    for (const auto& s : v.subnets) subnets.push_back(subnet_doc(s));
    return to_json(json::object{{"id", v.id},
                                {"label", v.label},
                                {"description", v.description},
                                {"region", v.region},
                                {"ipv6", nullptr},
                                {"subnets", std::move(subnets)},
                                {"created", v.created},
                                {"updated", v.updated}});
}

std::string render(const Subnet& s) {
    return to_json(subnet_doc(s));
}

}  // namespace linnet::vpcs
