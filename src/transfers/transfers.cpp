// Offering, cancelling and accepting transfers of Linodes.
#include "transfers/transfers.hpp"

#include "auth/grant_repository.hpp"
#include "auth/token.hpp"
#include "backups/backup_repository.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "firewalls/firewall_repository.hpp"
#include "jobs/event_repository.hpp"
#include "jobs/events.hpp"
#include "jobs/job_repository.hpp"
#include "linodes/address_repository.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/instances.hpp"
#include "linodes/linode_repository.hpp"
#include "nodebalancers/nodebalancer_repository.hpp"
#include "placement/placement_group_repository.hpp"
#include "tags/tag_repository.hpp"
#include "volumes/volume_repository.hpp"

namespace linnet::transfers {

namespace {

// A version 4 UUID in capitals, as Linode's tokens are.
std::string new_token() {
    std::string hex = auth::random_hex(16);
    hex[12] = '4';
    hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
    std::string out = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
                      hex.substr(16, 4) + "-" + hex.substr(20);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

jobs::Entity entity(const Transfer& t) {
    return {boost::json::value(t.token), "entity_transfer", t.token,
            "/v4/account/entity-transfers/" + t.token};
}

void notify(store::Transaction& tx, const Actor& actor, const std::string& action,
            const Transfer& t) {
    jobs::record_event(
        tx, {action, entity(t), std::nullopt, "notification", actor.user_id, actor.username, ""});
}

// Why the Linode cannot leave its account now, or "".
std::string why_not(store::Transaction& tx, std::int64_t linode_id) {
    if (jobs::JobRepository(tx).has_active(linode_id))
        return "Linode " + std::to_string(linode_id) + " is busy: wait for its jobs to finish";
    if (volumes::VolumeRepository(tx).count_attached(linode_id) > 0)
        return "Linode " + std::to_string(linode_id) + " has volumes attached: detach them first";
    if (linodes::ConfigRepository(tx).in_vpc(linode_id))
        return "Linode " + std::to_string(linode_id) +
               " has an interface in a VPC: remove its vpc interfaces first";
    if (linodes::ConfigRepository(tx).in_vlan(linode_id))
        return "Linode " + std::to_string(linode_id) +
               " has an interface in a VLAN: remove its vlan interfaces first";
    if (nodebalancers::NodeBalancerRepository(tx).serves_linode(linode_id))
        return "Linode " + std::to_string(linode_id) +
               " is a node of a NodeBalancer: remove it from the NodeBalancer first";
    return "";
}

}  // namespace

Transfer create(store::Transaction& tx, const Actor& actor, const std::vector<std::int64_t>& ids) {
    if (ids.empty()) throw errors::bad_request("Name at least one Linode", "entities.linodes");
    TransferRepository transfers(tx);
    const std::int64_t now = unix_now();
    for (const auto id : ids) {
        if (!linodes::LinodeRepository(tx).find(id))
            throw errors::bad_request("Linode " + std::to_string(id) + " is not one of yours",
                                      "entities.linodes");
        if (auto problem = why_not(tx, id); !problem.empty())
            throw errors::bad_request(problem, "entities.linodes");
        if (transfers.pending_with(id, now))
            throw errors::bad_request(
                "Linode " + std::to_string(id) + " is already in a pending transfer",
                "entities.linodes");
    }
    Transfer t;
    t.token = new_token();
    t.account_id = tx.scope().account_id();
    t.status = "pending";
    t.created = t.updated = format_time(now);
    t.expiry_unix = now + kTransferSeconds;
    t.expiry = format_time(t.expiry_unix);
    t.linodes = ids;
    transfers.insert(t);
    notify(tx, actor, "entity_transfer_create", t);
    return t;
}

void cancel(store::Transaction& tx, const Actor& actor, const std::string& token) {
    TransferRepository transfers(tx);
    auto t = transfers.find(token);
    if (!t || t->account_id != tx.scope().account_id()) throw errors::not_found();
    if (t->status != "pending" || t->expiry_unix <= unix_now())
        throw errors::bad_request("Only a pending transfer can be cancelled");
    t->status = "canceled";
    t->updated = now_utc();
    transfers.save_status(*t);
    notify(tx, actor, "entity_transfer_cancel", *t);
}

void accept(store::Transaction& tx, const Actor& actor, const std::string& token) {
    TransferRepository transfers(tx);
    auto t = transfers.find(token);
    if (!t) throw errors::not_found();
    const auto receiver = tx.scope();
    const std::int64_t to = receiver.account_id();
    if (t->account_id == to)
        throw errors::bad_request("A transfer is accepted by another account than its sender's");
    if (t->status != "pending" || t->expiry_unix <= unix_now())
        throw errors::bad_request("This transfer is no longer pending");

    // The Linodes as the sender has them.
    tx.set_scope(store::Scope::account(t->account_id));
    std::vector<linodes::Instance> moving;
    for (const auto id : t->linodes) {
        auto linode = linodes::find(tx, id);
        if (!linode)
            throw errors::bad_request("Linode " + std::to_string(id) +
                                      " is no longer its sender's to give");
        if (auto problem = why_not(tx, id); !problem.empty()) throw errors::bad_request(problem);
        moving.push_back(*linode);
    }
    for (const auto& linode : moving) {
        // What stays with the sender: its firewalls, placement groups, grants and shares.
        firewalls::FirewallRepository(tx).release_linode(linode.id);
        placement::PlacementGroupRepository(tx).release_linode(linode.id);
        auth::GrantRepository(tx).forget_entity("linode", linode.id);
        linodes::AddressRepository(tx).unshare_linode(linode.id);
    }
    t->status = "completed";
    t->receiver_account_id = to;
    t->updated = now_utc();
    transfers.save_status(*t);
    // The sender learns that it was accepted, not by whom.
    notify(tx, Actor{}, "entity_transfer_accept", *t);

    // The Linodes in their new account, each under a label free there.
    tx.set_scope(receiver);
    for (const auto& linode : moving) {
        std::string label = linode.label;
        for (int n = 2; linodes::label_taken(tx, label, linode.id); ++n)
            label = linode.label.substr(0, 60) + "-" + std::to_string(n);
        linodes::LinodeRepository(tx).move_to_account(linode.id, to, actor.user_id, label);
        jobs::EventRepository(tx).move_entity("linode", linode.id, to);
        backups::BackupRepository(tx).move_linode(linode.id, to);
        for (const auto& tag : linode.tags) tags::TagRepository(tx).add(tag);
        linodes::refresh(tx, linode.id);
    }
    notify(tx, actor, "entity_transfer_accept", *t);
}

}  // namespace linnet::transfers
