// A firewall's changes, their checks and their events.
#include "firewalls/firewalls.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "jobs/jobs.hpp"
#include "linodes/instances.hpp"
#include "nodebalancers/nodebalancer_repository.hpp"
#include "tags/tag_repository.hpp"

namespace linnet::firewalls {

namespace {

// Records the change's event; the hosts' workers look at the rules in force again once the
// change commits.
void notify(store::Transaction& tx, const Actor& actor, const std::string& action,
            const Firewall& f, std::optional<jobs::Entity> secondary = std::nullopt) {
    tx.notify(jobs::kJobsChannel);
    jobs::record_event(tx, {action, firewall_entity(f), std::move(secondary), "notification",
                            actor.user_id, actor.username, ""});
}

jobs::Entity device_entity(const Device& d) {
    if (d.type == "linode") return jobs::linode_entity(d.entity_id, d.label);
    return {d.entity_id, d.type, d.label, "/v4/nodebalancers/" + std::to_string(d.entity_id)};
}

void record_tags(store::Transaction& tx, const std::vector<std::string>& tags) {
    tags::TagRepository repo(tx);
    for (const auto& tag : tags) repo.add(tag);
}

// The Linode's (or NodeBalancer's) label when it exists in the account; nullopt otherwise.
std::optional<std::string> linode_label(store::Transaction& tx, std::int64_t id) {
    auto linode = linodes::find(tx, id);
    if (!linode) return std::nullopt;
    return linode->label;
}

std::optional<std::string> entity_label(store::Transaction& tx, const std::string& type,
                                        std::int64_t id) {
    if (type == "linode") return linode_label(tx, id);
    auto nb = nodebalancers::NodeBalancerRepository(tx).find(id);
    if (!nb) return std::nullopt;
    return nb->label;
}

std::string kind_of(const std::string& type) {
    return type == "linode" ? "Linode" : "NodeBalancer";
}

std::string has_enabled_firewall(const std::string& type, std::int64_t id) {
    return (type == "linode" ? "Linode " : "NodeBalancer ") + std::to_string(id) +
           " already has an enabled Firewall: a service may have one enabled Firewall at a time";
}

}  // namespace

std::optional<std::string> label_problem(const std::string& label) {
    const std::string bad =
        "Label must be 3-32 characters: a letter first, then letters, numbers, hyphens, "
        "underscores and periods, ending with a letter or number, with no two hyphens, "
        "underscores or periods in a row";
    if (label.size() < 3 || label.size() > 32) return bad;
    if (!std::isalpha(static_cast<unsigned char>(label.front()))) return bad;
    if (!std::isalnum(static_cast<unsigned char>(label.back()))) return bad;
    for (std::size_t i = 0; i < label.size(); ++i) {
        const char c = label[i];
        const bool separator = c == '-' || c == '_' || c == '.';
        if (!(std::isalnum(static_cast<unsigned char>(c)) || separator)) return bad;
        if (separator && i > 0 && label[i - 1] == c) return bad;
    }
    return std::nullopt;
}

jobs::Entity firewall_entity(const Firewall& f) {
    return {f.id, "firewall", f.label, "/v4/networking/firewalls/" + std::to_string(f.id)};
}

Firewall create(store::Transaction& tx, const Actor& actor, const NewFirewall& request) {
    std::vector<ErrorDetail> problems;
    FirewallRepository repo(tx);
    if (auto problem = label_problem(request.label))
        problems.push_back({*problem, "label"});
    else if (repo.label_taken(request.label, 0))
        problems.push_back({"Label must be unique among your Firewalls", "label"});
    std::vector<std::pair<std::int64_t, std::string>> linodes;
    for (const auto id : request.linodes) {
        auto label = linode_label(tx, id);
        if (!label)
            problems.push_back({"Linode " + std::to_string(id) + " not found", "devices.linodes"});
        else if (!repo.enabled_firewalls_of("linode", id).empty())
            problems.push_back({has_enabled_firewall("linode", id), "devices.linodes"});
        else if (std::find_if(linodes.begin(), linodes.end(),
                              [&](const auto& l) { return l.first == id; }) == linodes.end())
            linodes.emplace_back(id, *label);
    }
    std::vector<std::pair<std::int64_t, std::string>> balancers;
    for (const auto id : request.nodebalancers) {
        auto label = entity_label(tx, "nodebalancer", id);
        if (!label)
            problems.push_back(
                {"NodeBalancer " + std::to_string(id) + " not found", "devices.nodebalancers"});
        else if (!repo.enabled_firewalls_of("nodebalancer", id).empty())
            problems.push_back({has_enabled_firewall("nodebalancer", id), "devices.nodebalancers"});
        else if (std::find_if(balancers.begin(), balancers.end(),
                              [&](const auto& b) { return b.first == id; }) == balancers.end())
            balancers.emplace_back(id, *label);
    }
    if (!problems.empty()) throw errors::invalid(std::move(problems));

    Firewall f;
    f.label = request.label;
    f.rules = request.rules;
    f.tags = request.tags;
    f.id = repo.insert(f);
    record_tags(tx, f.tags);
    f = repo.find(f.id).value();
    notify(tx, actor, "firewall_create", f);
    for (const auto& [id, label] : linodes) {
        repo.add_device(f.id, "linode", id);
        notify(tx, actor, "firewall_device_add", f, jobs::linode_entity(id, label));
    }
    for (const auto& [id, label] : balancers) {
        repo.add_device(f.id, "nodebalancer", id);
        notify(tx, actor, "firewall_device_add", f,
               jobs::Entity{id, "nodebalancer", label, "/v4/nodebalancers/" + std::to_string(id)});
    }
    return f;
}

void update(store::Transaction& tx, const Actor& actor, Firewall& f, const Firewall& was) {
    FirewallRepository repo(tx);
    if (f.label != was.label) {
        if (auto problem = label_problem(f.label)) throw errors::bad_request(*problem, "label");
        if (repo.label_taken(f.label, f.id))
            throw errors::bad_request("Label must be unique among your Firewalls", "label");
    }
    if (f.status == "enabled" && was.status != "enabled")
        for (const auto& d : repo.devices_of(f.id)) {
            // The Linode's row is locked first, as a device added to it locks it: of two
            // changes that would give it two enabled firewalls, the second sees the first.
            if (d.type == "linode")
                linodes::find(tx, d.entity_id);
            else
                nodebalancers::NodeBalancerRepository(tx).find(d.entity_id);
            if (!repo.enabled_firewalls_of(d.type, d.entity_id, f.id).empty())
                throw errors::bad_request(has_enabled_firewall(d.type, d.entity_id), "status");
        }
    record_tags(tx, f.tags);
    repo.save(f);
    if (f.label != was.label || f.tags != was.tags) notify(tx, actor, "firewall_update", f);
    if (f.status != was.status)
        notify(tx, actor, f.status == "enabled" ? "firewall_enable" : "firewall_disable", f);
}

void replace_rules(store::Transaction& tx, const Actor& actor, Firewall& f, const Rules& rules) {
    // The version moves when the rules change; the same rules again are no change.
    if (fingerprint(rules) == fingerprint(f.rules)) return;
    f.rules = rules;
    FirewallRepository(tx).add_rules_version(f);
    notify(tx, actor, "firewall_update", f);
}

void remove(store::Transaction& tx, const Actor& actor, const Firewall& f) {
    notify(tx, actor, "firewall_delete", f);
    FirewallRepository(tx).remove(f.id);
}

Device add_device(store::Transaction& tx, const Actor& actor, const Firewall& f,
                  const std::string& type, std::int64_t entity_id) {
    FirewallRepository repo(tx);
    const auto label = entity_label(tx, type, entity_id);
    if (!label)
        throw errors::bad_request(kind_of(type) + " " + std::to_string(entity_id) + " not found",
                                  "id");
    if (repo.device_for(f.id, type, entity_id))
        throw errors::bad_request(kind_of(type) + " " + std::to_string(entity_id) +
                                      " is already a device of this Firewall",
                                  "id");
    if (f.status == "enabled" && !repo.enabled_firewalls_of(type, entity_id, f.id).empty())
        throw errors::bad_request(has_enabled_firewall(type, entity_id), "id");
    const std::int64_t id = repo.add_device(f.id, type, entity_id);
    auto device = repo.find_device(f.id, id).value();
    notify(tx, actor, "firewall_device_add", f, device_entity(device));
    return device;
}

void remove_device(store::Transaction& tx, const Actor& actor, const Firewall& f,
                   const Device& device) {
    FirewallRepository(tx).remove_device(device.id);
    notify(tx, actor, "firewall_device_remove", f, device_entity(device));
}

void apply(store::Transaction& tx, const Actor& actor, std::int64_t linode_id,
           const std::string& label) {
    jobs::record_event(tx, {"firewall_apply", jobs::linode_entity(linode_id, label), std::nullopt,
                            "finished", actor.user_id, actor.username, ""});
}

}  // namespace linnet::firewalls
