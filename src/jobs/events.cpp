// Event rows and their documents.
#include "jobs/events.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace linnet::jobs {

namespace {

namespace json = boost::json;

std::int64_t now_ms() {
    return clock::unix_ms();
}

json::value entity_json(const std::optional<Entity>& e) {
    if (!e) return nullptr;
    return json::object{{"id", e->id}, {"label", e->label}, {"type", e->type}, {"url", e->url}};
}

// Rebuilds the stored document from the row.
void refresh(store::Transaction& tx, std::int64_t id) {
    auto rows = tx.query(
        "SELECT action, username, status, percent_complete, seen, read, message, created, "
        "duration, secondary, entity_id, entity_type, entity_label FROM events WHERE id = ?",
        {id});
    if (rows.empty()) return;
    const auto& r = rows.front();
    json::object doc{
        {"id", id},
        {"action", r.text(0)},
        {"created", r.text(7)},
        {"duration", r.is_null(8) ? json::value(nullptr) : json::value(r.real(8))},
        {"entity", nullptr},
        {"secondary_entity", r.is_null(9) ? json::value(nullptr) : json::parse(r.text(9))},
        {"message", r.text(6)},
        {"percent_complete", r.is_null(3) ? json::value(nullptr) : json::value(r.integer(3))},
        {"rate", nullptr},
        {"read", r.boolean(5)},
        {"seen", r.boolean(4)},
        {"status", r.text(2)},
        {"time_remaining", nullptr},
        {"username", r.is_null(1) ? json::value(nullptr) : json::value(r.text(1))},
        {"details", json::object{}}};
    if (!r.is_null(10)) {
        const std::string type = r.text(11);
        const std::string url =
            type == "linode" ? "/v4/linode/instances/" + std::to_string(r.integer(10)) : "";
        doc["entity"] = json::object{
            {"id", r.integer(10)}, {"label", r.text(12)}, {"type", type}, {"url", url}};
    }
    tx.execute("UPDATE events SET doc = ? WHERE id = ?", {to_json(doc), id});
}

}  // namespace

Entity linode_entity(std::int64_t id, const std::string& label) {
    return {boost::json::value(id), "linode", label, "/v4/linode/instances/" + std::to_string(id)};
}

std::int64_t record_event(store::Transaction& tx, const NewEvent& e) {
    const std::int64_t now = now_ms();
    store::SqlValue percent = std::monostate{};
    if (e.status != "notification") percent = std::int64_t{e.status == "finished" ? 100 : 0};
    store::SqlValue entity_id = std::monostate{}, entity_type = std::monostate{},
                    entity_label = std::monostate{}, secondary = std::monostate{};
    if (e.entity) {
        if (e.entity->id.is_int64()) entity_id = e.entity->id.as_int64();
        entity_type = e.entity->type;
        entity_label = e.entity->label;
    }
    if (e.secondary) secondary = to_json(entity_json(e.secondary));
    store::SqlValue duration = std::monostate{};
    if (e.status == "finished" || e.status == "notification") duration = 0.0;
    auto rows = tx.query(
        "INSERT INTO events (user_id, username, action, entity_id, entity_type, entity_label, "
        "secondary, status, percent_complete, message, created, created_unix, duration, doc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}') RETURNING id",
        {e.user_id, e.username, e.action, entity_id, entity_type, entity_label, secondary, e.status,
         percent, e.message, format_time(now / 1000), now, duration});
    const std::int64_t id = rows.at(0).integer(0);
    refresh(tx, id);
    return id;
}

void update_event(store::Transaction& tx, std::int64_t id, const std::string& status,
                  std::optional<int> percent, std::optional<std::string> message) {
    store::SqlValue p = std::monostate{};
    if (percent) p = std::int64_t{*percent};
    store::SqlValue m = std::monostate{};
    if (message) m = *message;
    if (status == "finished" || status == "failed") {
        tx.execute(
            "UPDATE events SET status = ?, percent_complete = COALESCE(?, percent_complete), "
            "message = COALESCE(?, message), duration = (? - created_unix) / 1000.0 WHERE id = ?",
            {status, p, m, now_ms(), id});
    } else {
        tx.execute(
            "UPDATE events SET status = ?, percent_complete = COALESCE(?, percent_complete), "
            "message = COALESCE(?, message) WHERE id = ?",
            {status, p, m, id});
    }
    refresh(tx, id);
}

}  // namespace linnet::jobs
