// The notification and maintenance views.
#include "account/notification_repository.hpp"

#include <boost/json.hpp>
#include <string>

#include "billing/payment_repository.hpp"
#include "core/json.hpp"

namespace linnet::account {

namespace json = boost::json;

namespace statements {
// Each notification a row: its kind, the Linode it is about and when.
constexpr std::string_view notifications =
    "(SELECT 'migration-' || m.id AS id, l.account_id AS account_id, l.id AS linode_id, l.label "
    "AS label, 'migration_scheduled' AS type, 'major' AS severity, m.scheduled AS starts, h.name "
    "AS detail FROM host_migrations m JOIN linodes l ON l.id = m.linode_id JOIN hosts h ON h.id "
    "= m.from_host WHERE m.status = 'scheduled' "
    "UNION ALL SELECT 'outage-' || o.linode_id, l.account_id, l.id, l.label, 'outage', "
    "'critical', NULL, h.name FROM host_outages o JOIN linodes l ON l.id = o.linode_id JOIN hosts "
    "h ON h.id = o.host_id "
    "UNION ALL SELECT 'failed-' || e.id, l.account_id, l.id, l.label, 'notice', 'major', "
    "e.created, e.action FROM events e JOIN linodes l ON l.id = e.entity_id WHERE e.entity_type "
    "= 'linode' AND e.status = 'failed' AND e.id = (SELECT MAX(x.id) FROM events x WHERE "
    "x.entity_type = 'linode' AND x.entity_id = e.entity_id AND x.status IN ('finished', "
    "'failed')) "
    // An account whose invoices come to more than was paid for them (and promotions gave).
    "UNION ALL SELECT 'payment-' || a.id, a.id, NULL, '', 'payment_due', 'critical', NULL, "
    "CAST(((SELECT COALESCE(SUM(i.total_cents - i.promo_cents), 0) FROM invoices i WHERE "
    "i.account_id = a.id) - (SELECT COALESCE(SUM(p.usd_cents), 0) FROM payments p WHERE "
    "p.account_id = a.id)) AS TEXT) FROM accounts a WHERE (SELECT COALESCE(SUM(i.total_cents - "
    "i.promo_cents), 0) FROM invoices i WHERE i.account_id = a.id) > (SELECT "
    "COALESCE(SUM(p.usd_cents), 0) FROM payments p WHERE p.account_id = a.id)) notifications";
constexpr std::string_view maintenance =
    "(SELECT m.id AS id, l.account_id AS account_id, l.id AS linode_id, l.label AS label, CASE "
    "m.status WHEN 'scheduled' THEN 'pending' WHEN 'started' THEN 'started' ELSE 'completed' "
    "END AS status, 'cold_migration' AS type, m.scheduled AS starts, h.name AS host FROM "
    "host_migrations m JOIN linodes l ON l.id = m.linode_id JOIN hosts h ON h.id = "
    "m.from_host) maintenance";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kNotifications{{{"type", "type", FieldType::text}}, "id"};
const filter::Schema kMaintenance{{
                                      {"status", "status", FieldType::text},
                                      {"type", "type", FieldType::text},
                                      {"when", "starts", FieldType::time},
                                  },
                                  "id"};

json::object linode_entity(const store::Row& r) {
    const auto id = r.integer("linode_id");
    return {{"id", id},
            {"label", r.text("label")},
            {"type", "linode"},
            {"url", "/v4/linode/instances/" + std::to_string(id)}};
}

std::string notification(const store::Row& r) {
    const std::string type = r.text("type"), label = r.text("label");
    const std::string detail = r.is_null("detail") ? "" : r.text("detail");
    std::string title, message;
    if (type == "migration_scheduled") {
        title = "Migration scheduled";
        message = "Linode " + label + " is scheduled to migrate off host " + detail +
                  ", which is drained for maintenance.";
    } else if (type == "outage") {
        title = "Host outage";
        message = "Linode " + label + " is down: its host " + detail +
                  " stopped answering. It comes back when the host does.";
    } else if (type == "payment_due") {
        title = "Payment due";
        message = "Your account's balance of $" + billing::dollars(std::stoll(detail)) +
                  " is due. Make a payment to keep your services running.";
    } else {
        title = "A job failed";
        message = "The latest job of Linode " + label + " (" + detail + ") failed.";
    }
    return to_json(json::object{
        {"type", type},
        {"severity", r.text("severity")},
        {"label", title},
        {"message", message},
        {"body", nullptr},
        {"entity", r.is_null("linode_id") ? json::value(nullptr) : json::value(linode_entity(r))},
        {"when", r.is_null("starts") ? json::value(nullptr) : json::value(r.text("starts"))},
        {"until", nullptr}});
}

}  // namespace

store::Listing NotificationRepository::notifications(
    const std::pair<std::string, store::Params>& visible, bool billing) {
    store::Listing l{std::string(statements::notifications), kNotifications,
                     std::string("{{account}} AND (") + (billing ? "linode_id IS NULL OR " : "") +
                         "linode_id IN (SELECT l.id FROM linodes l WHERE " + visible.first + "))",
                     visible.second};
    l.columns = "id, linode_id, label, type, severity, starts, detail";
    l.render = notification;
    return l;
}

store::Listing NotificationRepository::maintenance(
    const std::pair<std::string, store::Params>& visible) {
    store::Listing l{
        std::string(statements::maintenance), kMaintenance,
        "{{account}} AND linode_id IN (SELECT l.id FROM linodes l WHERE " + visible.first + ")",
        visible.second};
    l.columns = "id, linode_id, label, status, type, starts, host";
    l.render = [](const store::Row& r) {
        return to_json(json::object{
            {"entity", linode_entity(r)},
            {"reason", "Its host " + r.text("host") +
                           " is drained for maintenance: the Linode moves to another host."},
            {"status", r.text("status")},
            {"type", r.text("type")},
            {"when", r.text("starts")}});
    };
    return l;
}

}  // namespace linnet::account
