// Placement groups' changes, their checks and their events.
#include "placement/placement_groups.hpp"

#include <algorithm>
#include <cctype>

#include "catalog/catalog_repository.hpp"
#include "core/error.hpp"
#include "linodes/instances.hpp"

namespace linnet::placement {

namespace {

void notify(store::Transaction& tx, const Actor& actor, const std::string& action,
            const PlacementGroup& g, std::optional<jobs::Entity> secondary = std::nullopt) {
    jobs::record_event(tx, {action, group_entity(g), std::move(secondary), "notification",
                            actor.user_id, actor.username, ""});
}

// A label: 1-64 characters of letters, numbers, -, _ and ., beginning and ending with a letter
// or number.
std::optional<std::string> label_problem(const std::string& label) {
    const std::string bad =
        "Label must be 1-64 characters of letters, numbers, hyphens, underscores and periods, "
        "beginning and ending with a letter or number";
    if (label.empty() || label.size() > 64) return bad;
    const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    if (!alnum(label.front()) || !alnum(label.back())) return bad;
    for (const char c : label)
        if (!alnum(c) && c != '-' && c != '_' && c != '.') return bad;
    return std::nullopt;
}

bool compliant(const PlacementGroup& g) {
    const auto kept = compliance(g);
    return std::all_of(kept.begin(), kept.end(), [](bool b) { return b; });
}

// The region's limit on members of a group of this policy.
std::optional<std::int64_t> most_members(store::Transaction& tx, const PlacementGroup& g) {
    auto region = catalog::CatalogRepository(tx).find_region(g.region);
    if (!region) return std::nullopt;
    const auto* limits = region->if_contains("placement_group_limits");
    if (!limits || !limits->is_object()) return std::nullopt;
    const auto* most = limits->as_object().if_contains(
        g.policy == "strict" ? "maximum_linodes_per_pg" : "maximum_linodes_per_flexible_pg");
    if (!most || !most->is_int64()) return std::nullopt;
    return most->as_int64();
}

void refresh_members(store::Transaction& tx, const PlacementGroup& g) {
    for (const auto& m : g.members) linodes::refresh(tx, m.linode_id);
}

}  // namespace

jobs::Entity group_entity(const PlacementGroup& g) {
    return {g.id, "placement_group", g.label, "/v4/placement/groups/" + std::to_string(g.id)};
}

PlacementGroup create(store::Transaction& tx, const Actor& actor, const NewGroup& request) {
    std::vector<ErrorDetail> problems;
    PlacementGroupRepository repo(tx);
    if (auto problem = label_problem(request.label))
        problems.push_back({*problem, "label"});
    else if (repo.label_taken(request.label, 0))
        problems.push_back({"Label must be unique among your placement groups", "label"});
    auto capabilities = catalog::CatalogRepository(tx).find_region_capabilities(request.region);
    if (!capabilities)
        problems.push_back({"region is not valid", "region"});
    else if (!capabilities->has("Placement Group"))
        problems.push_back({"Placement groups are not available in this region", "region"});
    if (request.type != "anti_affinity:local" && request.type != "affinity:local")
        problems.push_back({"placement_group_type must be anti_affinity:local or affinity:local",
                            "placement_group_type"});
    if (request.policy != "strict" && request.policy != "flexible")
        problems.push_back(
            {"placement_group_policy must be strict or flexible", "placement_group_policy"});
    if (!problems.empty()) throw errors::invalid(std::move(problems));
    PlacementGroup g;
    g.label = request.label;
    g.region = request.region;
    g.type = request.type;
    g.policy = request.policy;
    g.id = repo.insert(g);
    g = repo.find(g.id).value();
    notify(tx, actor, "placement_group_create", g);
    return g;
}

void rename(store::Transaction& tx, const Actor& actor, PlacementGroup& g,
            const std::string& label) {
    PlacementGroupRepository repo(tx);
    if (auto problem = label_problem(label)) throw errors::bad_request(*problem, "label");
    if (repo.label_taken(label, g.id))
        throw errors::bad_request("Label must be unique among your placement groups", "label");
    g.label = label;
    repo.save(g);
    refresh_members(tx, g);
    notify(tx, actor, "placement_group_update", g);
}

void remove(store::Transaction& tx, const Actor& actor, const PlacementGroup& g) {
    if (!g.members.empty())
        throw errors::bad_request(
            "A placement group must have no Linodes to be deleted: unassign them first");
    if (!compliant(g))
        throw errors::bad_request("A non-compliant placement group cannot be deleted");
    notify(tx, actor, "placement_group_delete", g);
    PlacementGroupRepository(tx).remove(g.id);
}

void check_room(store::Transaction& tx, const PlacementGroup& g, const std::string& region,
                const std::string& field) {
    if (region != g.region)
        throw errors::bad_request("The Linode and the placement group must be in the same region",
                                  field);
    if (auto most = most_members(tx, g);
        most && static_cast<std::int64_t>(g.members.size()) >= *most)
        throw errors::bad_request(
            "The placement group has room for " + std::to_string(*most) + " Linodes in this region",
            field);
}

void assign(store::Transaction& tx, const Actor& actor, PlacementGroup& g,
            const std::vector<std::int64_t>& ids) {
    PlacementGroupRepository repo(tx);
    const bool was_compliant = compliant(g);
    for (const auto id : ids) {
        auto linode = linodes::find(tx, id);
        if (!linode)
            throw errors::bad_request("Linode " + std::to_string(id) + " not found", "linodes");
        if (repo.group_of(id))
            throw errors::bad_request(
                "Linode " + std::to_string(id) + " is already in a placement group", "linodes");
        check_room(tx, g, linode->region, "linodes");
        repo.add_member(g.id, id);
        // Read again: the members with the hosts placement put them on.
        g = repo.find(g.id).value();
        const auto kept = compliance(g);
        const auto at = std::find_if(g.members.begin(), g.members.end(),
                                     [&](const Member& m) { return m.linode_id == id; });
        if (g.policy == "strict" && !kept[static_cast<std::size_t>(at - g.members.begin())])
            throw errors::bad_request("Linode " + std::to_string(id) +
                                          " runs on a host that would break this strict "
                                          "placement group's " +
                                          g.type + " rule",
                                      "linodes");
        linodes::refresh(tx, id);
        notify(tx, actor, "placement_group_assign", g, jobs::linode_entity(id, linode->label));
    }
    if (was_compliant && !compliant(g))
        notify(tx, actor, "placement_group_became_non_compliant", g);
}

void unassign(store::Transaction& tx, const Actor& actor, PlacementGroup& g,
              const std::vector<std::int64_t>& ids) {
    PlacementGroupRepository repo(tx);
    const bool was_compliant = compliant(g);
    for (const auto id : ids) {
        const auto it = std::find_if(g.members.begin(), g.members.end(),
                                     [&](const Member& m) { return m.linode_id == id; });
        if (it == g.members.end())
            throw errors::bad_request(
                "Linode " + std::to_string(id) + " is not in this placement group", "linodes");
        g.members.erase(it);
        repo.remove_member(g.id, id);
        linodes::refresh(tx, id);
        auto linode = linodes::find(tx, id);
        notify(tx, actor, "placement_group_unassign", g,
               jobs::linode_entity(id, linode ? linode->label : ""));
    }
    if (!was_compliant && compliant(g)) notify(tx, actor, "placement_group_became_compliant", g);
}

hosts::Choice choice_for(const PlacementGroup& g) {
    hosts::Choice choice;
    for (const auto& m : g.members) {
        if (!m.host_id) continue;
        if (g.type == "affinity:local") {
            choice.only = *m.host_id;
            break;
        }
        choice.avoid.push_back(*m.host_id);
    }
    return choice;
}

}  // namespace linnet::placement
