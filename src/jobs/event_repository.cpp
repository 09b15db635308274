// Statements on the events table, and the document each row is shown as.
#include "jobs/event_repository.hpp"

#include "auth/user_repository.hpp"
#include "store/reserved_ids.hpp"
#include "store/scoped.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"

namespace linnet::jobs {

namespace statements {
constexpr std::string_view add =
    "INSERT INTO events (account_id, user_id, username, action, entity_id, entity_type, "
    "entity_label, secondary, status, percent_complete, message, created, created_unix, "
    "duration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view add_with_id =
    "INSERT INTO events (id, account_id, user_id, username, action, entity_id, entity_type, "
    "entity_label, secondary, status, percent_complete, message, created, created_unix, "
    "duration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view update_ended =
    "UPDATE events SET status = ?, percent_complete = COALESCE(?, percent_complete), "
    "message = COALESCE(?, message), duration = (? - created_unix) / 1000.0 WHERE id = ? AND "
    "{{account}}";
constexpr std::string_view update =
    "UPDATE events SET status = ?, percent_complete = COALESCE(?, percent_complete), "
    "message = COALESCE(?, message) WHERE id = ? AND {{account}}";
constexpr std::string_view is_visible =
    "SELECT 1 AS found FROM events WHERE id = ? AND {{account}} AND (";
constexpr std::string_view set_seen_up_to =
    "UPDATE events SET seen = 1 WHERE id <= ? AND seen = 0 AND {{account}}";
constexpr std::string_view set_read = "UPDATE events SET read = 1 WHERE id = ? AND {{account}}";
// The columns an event is shown from.
constexpr std::string_view columns =
    "id, user_id, username, action, entity_id, entity_type, entity_label, secondary, status, "
    "percent_complete, seen, read, message, created, created_unix, duration";
const std::string find =
    "SELECT " + std::string(columns) + " FROM events WHERE id = ? AND {{account}}";
constexpr std::string_view move_entity =
    "UPDATE events SET account_id = ? WHERE entity_type = ? AND entity_id = ?";
}  // namespace statements

namespace {

namespace json = boost::json;
using filter::FieldType;

const filter::Schema kEvents{{
                                 {"id", "id", FieldType::integer},
                                 {"action", "action", FieldType::text},
                                 {"created", "created", FieldType::time},
                                 {"read", "read", FieldType::boolean},
                                 {"entity.id", "entity_id", FieldType::integer, true},
                                 {"entity.type", "entity_type", FieldType::text, true},
                             },
                             "id DESC"};

EventRow from_row(const store::Row& r) {
    EventRow e;
    e.id = r.integer("id");
    e.user_id = r.optional_integer("user_id");
    e.username = r.optional_text("username");
    e.action = r.text("action");
    e.entity_id = r.optional_integer("entity_id");
    e.entity_type = r.optional_text("entity_type");
    e.entity_label = r.optional_text("entity_label");
    e.secondary = r.optional_text("secondary");
    e.status = r.text("status");
    e.percent_complete = r.optional_integer("percent_complete");
    e.seen = r.boolean("seen");
    e.read = r.boolean("read");
    e.message = r.optional_text("message").value_or("");
    e.created = r.text("created");
    e.created_unix = r.integer("created_unix");
    if (!r.is_null("duration")) e.duration = r.real("duration");
    return e;
}

template <class T>
json::value json_of(const std::optional<T>& v) {
    if (v) return json::value(*v);
    return nullptr;
}

// The event as /account/events shows it.
std::string document_of(const EventRow& e) {
    json::object doc{
        {"id", e.id},
        {"action", e.action},
        {"created", e.created},
        {"duration", json_of(e.duration)},
        {"entity", nullptr},
        {"secondary_entity", e.secondary ? json::parse(*e.secondary) : json::value(nullptr)},
        {"message", e.message},
        {"percent_complete", json_of(e.percent_complete)},
        {"rate", nullptr},
        {"read", e.read},
        {"seen", e.seen},
        {"status", e.status},
        {"time_remaining", nullptr},
        {"username", json_of(e.username)},
        {"details", json::object{}}};
    if (e.entity_id) {
        const std::string type = e.entity_type.value_or("");
        const std::string id = std::to_string(*e.entity_id);
        const std::string url = type == "linode"            ? "/v4/linode/instances/" + id
                                : type == "volume"          ? "/v4/volumes/" + id
                                : type == "firewall"        ? "/v4/networking/firewalls/" + id
                                : type == "placement_group" ? "/v4/placement/groups/" + id
                                : type == "nodebalancer"    ? "/v4/nodebalancers/" + id
                                : type == "domain"          ? "/v4/domains/" + id
                                : type == "vpc"             ? "/v4/vpcs/" + id
                                : type == "stackscript"     ? "/v4/linode/stackscripts/" + id
                                : type == "image"           ? "/v4/images/private/" + id
                                : type == "longviewclient"  ? "/v4/longview/clients/" + id
                                                            : "";
        doc["entity"] = json::object{{"id", *e.entity_id},
                                     {"label", e.entity_label.value_or("")},
                                     {"type", type},
                                     {"url", url}};
    }
    return to_json(doc);
}

}  // namespace

// The event's account: the transaction's, or in the system scope (a worker) its user's.
std::int64_t EventRepository::account_of(const EventRow& e) {
    if (!tx_.scope().is_system()) return tx_.scope().account_id();
    if (!e.user_id) throw store::StoreError("an event in the system scope needs its user");
    auto user = auth::UserRepository(tx_).find(*e.user_id);
    if (!user) throw store::StoreError("an event's user is gone");
    return user->account_id;
}

std::int64_t EventRepository::add(const EventRow& e) {
    store::Params values{account_of(e),
                         store::or_null(e.user_id),
                         store::or_null(e.username),
                         e.action,
                         store::or_null(e.entity_id),
                         store::or_null(e.entity_type),
                         store::or_null(e.entity_label),
                         store::or_null(e.secondary),
                         e.status,
                         store::or_null(e.percent_complete),
                         e.message,
                         e.created,
                         e.created_unix,
                         store::or_null(e.duration)};
    // An id set aside (store/reserved_ids.hpp): the row goes with the next round trip.
    if (const auto id = store::reserved_id(tx_, "events")) {
        values.insert(values.begin(), *id);
        store::scoped_write(tx_, statements::add_with_id, std::move(values));
        return *id;
    }
    return store::scoped_query(tx_, statements::add, std::move(values)).at(0).integer("id");
}

std::optional<EventRow> EventRepository::find(std::int64_t id) {
    auto rows = store::scoped_query(tx_, statements::find, {id});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

void EventRepository::update(std::int64_t id, const std::string& status,
                             std::optional<std::int64_t> percent,
                             std::optional<std::string> message,
                             std::optional<std::int64_t> ended_ms) {
    if (ended_ms)
        store::scoped_write(
            tx_, statements::update_ended,
            {status, store::or_null(percent), store::or_null(message), *ended_ms, id});
    else
        store::scoped_write(tx_, statements::update,
                            {status, store::or_null(percent), store::or_null(message), id});
}

std::optional<std::string> EventRepository::document(std::int64_t id) {
    auto event = find(id);
    if (!event) return std::nullopt;
    return document_of(*event);
}

store::Listing EventRepository::visible_to(const EventVisibility& visibility) {
    store::Listing l{"events", kEvents, "{{account}} AND (" + visibility.condition + ")",
                     visibility.params};
    l.columns = statements::columns;
    l.render = [](const store::Row& r) { return document_of(from_row(r)); };
    return l;
}

bool EventRepository::is_visible(std::int64_t id, const EventVisibility& visibility) {
    store::Params params{id};
    params.insert(params.end(), visibility.params.begin(), visibility.params.end());
    return !store::scoped_query(
                tx_, std::string(statements::is_visible) + visibility.condition + ")", params)
                .empty();
}

void EventRepository::mark_seen_up_to(std::int64_t id) {
    store::scoped_execute(tx_, statements::set_seen_up_to, {id});
}

void EventRepository::mark_read(std::int64_t id) {
    store::scoped_execute(tx_, statements::set_read, {id});
}

void EventRepository::move_entity(const std::string& type, std::int64_t id,
                                  std::int64_t account_id) {
    tx_.execute(statements::move_entity, {account_id, type, id});
}

}  // namespace linnet::jobs
