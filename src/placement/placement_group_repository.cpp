// Statements on placement_groups and placement_group_members, and a group's document.
#include "placement/placement_group_repository.hpp"

#include <map>

#include "core/json.hpp"
#include "core/time.hpp"
#include "store/scoped.hpp"

namespace linnet::placement {

namespace json = boost::json;

namespace statements {
constexpr std::string_view columns =
    "id, account_id, label, region, group_type, policy, created, updated";
constexpr std::string_view insert =
    "INSERT INTO placement_groups (account_id, label, region, group_type, policy, created, "
    "updated) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
const std::string find_in_account =
    "SELECT " + std::string(columns) + " FROM placement_groups WHERE id = ? AND {{account}}";
constexpr std::string_view members_of =
    "SELECT m.group_id, m.linode_id, l.host_id FROM placement_group_members m JOIN linodes l ON "
    "l.id = m.linode_id WHERE m.group_id IN (";
constexpr std::string_view members_order = ") ORDER BY m.group_id, m.created, m.linode_id";
constexpr std::string_view save =
    "UPDATE placement_groups SET label = ?, updated = ? WHERE id = ? AND {{account}}";
constexpr std::string_view remove = "DELETE FROM placement_groups WHERE id = ? AND {{account}}";
constexpr std::string_view label_taken =
    "SELECT 1 AS found FROM placement_groups WHERE label = ? AND id <> ? AND {{account}}";
constexpr std::string_view add_member =
    "INSERT INTO placement_group_members (group_id, linode_id, created) VALUES (?, ?, ?)";
constexpr std::string_view remove_member =
    "DELETE FROM placement_group_members WHERE group_id = ? AND linode_id = ?";
constexpr std::string_view group_of =
    "SELECT group_id FROM placement_group_members WHERE linode_id = ?";
constexpr std::string_view summary_of =
    "SELECT g.id, g.account_id, g.label, g.region, g.group_type, g.policy, g.created, g.updated "
    "FROM placement_group_members m JOIN placement_groups g ON g.id = m.group_id WHERE "
    "m.linode_id = ?";
constexpr std::string_view names =
    "SELECT id, label FROM placement_groups WHERE {{account}} ORDER BY id";
constexpr std::string_view release_linode =
    "DELETE FROM placement_group_members WHERE linode_id = ?";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kGroups{{
                                 {"id", "id", FieldType::integer},
                                 {"label", "label", FieldType::text},
                                 {"region", "region", FieldType::text},
                                 {"placement_group_type", "group_type", FieldType::text},
                             },
                             "id"};

PlacementGroup from_row(const store::Row& r) {
    PlacementGroup g;
    g.id = r.integer("id");
    g.account_id = r.integer("account_id");
    g.label = r.text("label");
    g.region = r.text("region");
    g.type = r.text("group_type");
    g.policy = r.text("policy");
    g.created = r.text("created");
    g.updated = r.text("updated");
    return g;
}

// The members of the groups, read in one statement.
std::map<std::int64_t, std::vector<Member>> members(store::Transaction& tx,
                                                    const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, std::vector<Member>> out;
    if (ids.empty()) return out;
    store::Params params;
    const std::string marks = store::placeholders(ids, params);
    for (const auto& row : tx.query(
             std::string(statements::members_of) + marks + std::string(statements::members_order),
             params))
        out[row.integer("group_id")].push_back(
            {row.integer("linode_id"), row.optional_integer("host_id")});
    return out;
}

}  // namespace

std::vector<bool> compliance(const PlacementGroup& g) {
    std::vector<bool> out;
    std::optional<std::int64_t> first;
    for (const auto& m : g.members)
        if (!first && m.host_id) first = m.host_id;
    for (std::size_t i = 0; i < g.members.size(); ++i) {
        const auto& host = g.members[i].host_id;
        if (!host) {
            out.push_back(true);
            continue;
        }
        if (g.type == "affinity:local") {
            out.push_back(*host == *first);
            continue;
        }
        bool alone = true;
        for (std::size_t j = 0; j < g.members.size(); ++j)
            if (j != i && g.members[j].host_id == host) alone = false;
        out.push_back(alone);
    }
    return out;
}

std::int64_t PlacementGroupRepository::insert(const PlacementGroup& g) {
    const auto now = now_utc();
    return tx_
        .query(statements::insert,
               {tx_.scope().account_id(), g.label, g.region, g.type, g.policy, now, now})
        .at(0)
        .integer("id");
}

std::optional<PlacementGroup> PlacementGroupRepository::find(std::int64_t id) {
    auto rows = store::scoped_query(
        tx_, store::locking(tx_, statements::find_in_account, " OF placement_groups"), {id});
    if (rows.empty()) return std::nullopt;
    PlacementGroup g = from_row(rows.front());
    g.members = std::move(members(tx_, {id})[id]);
    return g;
}

void PlacementGroupRepository::save(PlacementGroup& g) {
    g.updated = now_utc();
    store::scoped_write(tx_, statements::save, {g.label, g.updated, g.id});
}

void PlacementGroupRepository::remove(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id});
}

bool PlacementGroupRepository::label_taken(const std::string& label, std::int64_t except_id) {
    return !store::scoped_query(tx_, statements::label_taken, {label, except_id}).empty();
}

void PlacementGroupRepository::add_member(std::int64_t group_id, std::int64_t linode_id) {
    tx_.write(statements::add_member, {group_id, linode_id, now_utc()});
}

void PlacementGroupRepository::remove_member(std::int64_t group_id, std::int64_t linode_id) {
    tx_.write(statements::remove_member, {group_id, linode_id});
}

std::optional<std::int64_t> PlacementGroupRepository::group_of(std::int64_t linode_id) {
    auto rows = tx_.query(statements::group_of, {linode_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().integer("group_id");
}

void PlacementGroupRepository::read_ahead_summary_of(std::int64_t linode_id) {
    tx_.read_ahead(statements::summary_of, {linode_id});
}

std::optional<json::object> PlacementGroupRepository::summary_of(std::int64_t linode_id) {
    auto rows = tx_.query(statements::summary_of, {linode_id});
    if (rows.empty()) return std::nullopt;
    return summary(from_row(rows.front()));
}

std::vector<std::pair<std::int64_t, std::string>> PlacementGroupRepository::names() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& row : store::scoped_query(tx_, statements::names, {}))
        out.emplace_back(row.integer("id"), row.text("label"));
    return out;
}

store::Listing PlacementGroupRepository::listing(
    const std::pair<std::string, store::Params>& visible) {
    store::Listing l{"placement_groups", kGroups, "{{account}} AND (" + visible.first + ")",
                     visible.second};
    l.columns = std::string(statements::columns);
    l.render = [](const store::Row& r) { return render(from_row(r)); };
    l.complete = [](store::Transaction& tx, const store::Rows& rows,
                    std::vector<std::string>& docs) {
        std::vector<std::int64_t> ids;
        for (const auto& row : rows) ids.push_back(row.integer("id"));
        auto of = members(tx, ids);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            PlacementGroup g = from_row(rows[i]);
            g.members = std::move(of[g.id]);
            docs[i] = render(g);
        }
    };
    return l;
}

json::object summary(const PlacementGroup& g) {
    return json::object{{"id", g.id},
                        {"label", g.label},
                        {"placement_group_type", g.type},
                        {"placement_group_policy", g.policy},
                        {"migrating_to", nullptr}};
}

std::string render(const PlacementGroup& g) {
    const auto kept = compliance(g);
    json::array members;
    bool all = true;
    for (std::size_t i = 0; i < g.members.size(); ++i) {
        members.push_back(
            json::object{{"linode_id", g.members[i].linode_id}, {"is_compliant", kept[i]}});
        all = all && kept[i];
    }
    return to_json(json::object{{"id", g.id},
                                {"label", g.label},
                                {"region", g.region},
                                {"placement_group_type", g.type},
                                {"placement_group_policy", g.policy},
                                {"is_compliant", all},
                                {"members", std::move(members)},
                                {"migrations", nullptr}});
}

void PlacementGroupRepository::release_linode(std::int64_t linode_id) {
    tx_.execute(statements::release_linode, {linode_id});
}

}  // namespace linnet::placement
