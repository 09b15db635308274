// Statements on vpcs and vpc_subnets, and their documents.
#include "vpcs/vpc_repository.hpp"

#include <boost/json.hpp>
#include <map>

#include "core/json.hpp"
#include "core/time.hpp"
#include "store/scoped.hpp"

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
    return {r.integer("id"), r.integer("vpc_id"), r.text("label"),
            r.text("ipv4"),  r.text("created"),   r.text("updated")};
}

// Each VPC's subnets, read in one statement.
std::map<std::int64_t, std::vector<Subnet>> subnets(store::Transaction& tx,
                                                    const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, std::vector<Subnet>> out;
    if (ids.empty()) return out;
    std::string marks;
    store::Params params;
    for (const auto id : ids) {
        marks += marks.empty() ? "?" : ",?";
        params.emplace_back(id);
    }
    for (const auto& row :
         tx.query(std::string(statements::subnets_of) + marks + ") ORDER BY vpc_id, id", params))
        out[row.integer("vpc_id")].push_back(subnet_from_row(row));
    return out;
}

json::object subnet_doc(const Subnet& s) {
    // The Linodes with an interface in the subnet: none until vpc interfaces are served.
    return json::object{{"id", s.id},
                        {"label", s.label},
                        {"ipv4", s.ipv4},
                        {"ipv6", nullptr},
                        {"linodes", json::array{}},
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
        tx_, store::locking(tx_, statements::find_in_account, " FOR UPDATE OF vpcs"), {id});
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
