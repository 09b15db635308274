// Longview clients, keys and plans.
#include "longview/longview.hpp"

#include <cctype>

#include "auth/token.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "jobs/events.hpp"

namespace linnet::longview {

namespace json = boost::json;

namespace {

// As Longview's keys look: 8-4-4-16 upper-case hexadecimal digits.
std::string new_key() {
    std::string hex = auth::random_hex(16);
    for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16);
}

bool valid_label(const std::string& label) {
    if (label.size() < 3 || label.size() > 32) return false;
    for (char c : label)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
            return false;
    return true;
}

void notify(store::Transaction& tx, const Actor& actor, const std::string& action,
            const Client& c) {
    jobs::record_event(tx, {action,
                            jobs::Entity{c.id, "longviewclient", c.label,
                                         "/v4/longview/clients/" + std::to_string(c.id)},
                            std::nullopt, "notification", actor.user_id, actor.username, ""});
}

void check_label(LongviewRepository& repo, const std::string& label, std::int64_t except) {
    if (!valid_label(label))
        throw errors::bad_request(
            "Label must be 3-32 letters, numbers, hyphens, underscores or periods", "label");
    if (repo.label_taken(label, except))
        throw errors::bad_request("Label must be unique among your Longview clients", "label");
}

std::int64_t allowed(store::Transaction& tx) {
    const auto plan = LongviewRepository(tx).plan();
    const auto* s = plan ? find_subscription(*plan) : nullptr;
    return s ? s->clients_included : kFreeClients;
}

}  // namespace

const std::vector<Subscription>& subscriptions() {
    static const std::vector<Subscription> list{
        {"longview-3", "Longview Pro 3 pack", 3, 0.03, 20.0},
        {"longview-10", "Longview Pro 10 pack", 10, 0.06, 40.0},
        {"longview-40", "Longview Pro 40 pack", 40, 0.15, 100.0},
        {"longview-100", "Longview Pro 100 pack", 100, 0.3, 200.0}};
    return list;
}

const Subscription* find_subscription(const std::string& id) {
    for (const auto& s : subscriptions())
        if (s.id == id) return &s;
    return nullptr;
}

json::object render(const Subscription& s) {
    return {{"id", s.id},
            {"label", s.label},
            {"clients_included", s.clients_included},
            {"price", json::object{{"hourly", s.hourly}, {"monthly", s.monthly}}}};
}

Client create(store::Transaction& tx, const Actor& actor, std::optional<std::string> label) {
    LongviewRepository repo(tx);
    if (label) check_label(repo, *label, 0);
    if (repo.count() >= allowed(tx))
        throw errors::bad_request(
            "The account's Longview plan takes no more clients: upgrade it with PUT "
            "/longview/plan");
    Client c;
    c.label = label.value_or("client-new-" + auth::random_hex(4));
    c.api_key = new_key();
    c.install_code = new_key();
    c.apps = to_json(json::object{{"apache", false}, {"mysql", false}, {"nginx", false}});
    c.created = c.updated = now_utc();
    c.id = repo.insert(c);
    if (!label) {
        // The default label names the id, known only now.
        c.label = "client" + std::to_string(c.id);
        for (int n = 2; repo.label_taken(c.label, c.id); ++n)
            c.label = "client" + std::to_string(c.id) + "-" + std::to_string(n);
        repo.save(c);
    }
    notify(tx, actor, "longviewclient_create", c);
    return c;
}

void update(store::Transaction& tx, const Actor& actor, Client& c, const std::string& label) {
    LongviewRepository repo(tx);
    check_label(repo, label, c.id);
    c.label = label;
    c.updated = now_utc();
    repo.save(c);
    notify(tx, actor, "longviewclient_update", c);
}

void remove(store::Transaction& tx, const Actor& actor, const Client& c) {
    notify(tx, actor, "longviewclient_delete", c);
    LongviewRepository(tx).remove(c.id);
}

void set_plan(store::Transaction& tx, const std::optional<std::string>& subscription) {
    LongviewRepository repo(tx);
    std::int64_t room = kFreeClients;
    if (subscription) {
        const auto* s = find_subscription(*subscription);
        if (!s)
            throw errors::bad_request("No Longview subscription by that id",
                                      "longview_subscription");
        room = s->clients_included;
    }
    if (repo.count() > room)
        throw errors::bad_request(
            "The account has more Longview clients than that plan takes: delete some first",
            "longview_subscription");
    repo.set_plan(subscription);
}

}  // namespace linnet::longview
