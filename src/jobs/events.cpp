// Events as the other modules record them, kept by the event repository.
#include "jobs/events.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "jobs/event_repository.hpp"

namespace linnet::jobs {

namespace {

namespace json = boost::json;

json::value entity_json(const std::optional<Entity>& e) {
    if (!e) return nullptr;
    return json::object{{"id", e->id}, {"label", e->label}, {"type", e->type}, {"url", e->url}};
}

}  // namespace

Entity linode_entity(std::int64_t id, const std::string& label) {
    return {boost::json::value(id), "linode", label, "/v4/linode/instances/" + std::to_string(id)};
}

std::int64_t record_event(store::Transaction& tx, const NewEvent& e) {
    const std::int64_t now = clock::unix_ms();
    EventRow row;
    row.user_id = e.user_id;
    row.username = e.username;
    row.action = e.action;
    if (e.entity) {
        if (e.entity->id.is_int64()) row.entity_id = e.entity->id.as_int64();
        row.entity_type = e.entity->type;
        row.entity_label = e.entity->label;
    }
    if (e.secondary) row.secondary = to_json(entity_json(e.secondary));
    row.status = e.status;
    if (e.status != "notification") row.percent_complete = e.status == "finished" ? 100 : 0;
    row.message = e.message;
    row.created = format_time(now / 1000);
    row.created_unix = now;
    if (e.status == "finished" || e.status == "notification") row.duration = 0.0;
    return EventRepository(tx).add(row);
}

void update_event(store::Transaction& tx, std::int64_t id, const std::string& status,
                  std::optional<int> percent, std::optional<std::string> message) {
    std::optional<std::int64_t> p;
    if (percent) p = *percent;
    std::optional<std::int64_t> ended;
    if (status == "finished" || status == "failed") ended = clock::unix_ms();
    EventRepository(tx).update(id, status, p, std::move(message), ended);
}

}  // namespace linnet::jobs
