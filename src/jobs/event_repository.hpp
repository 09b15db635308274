// The events table: every statement on it lives in event_repository.cpp. An event is shown
// (/account/events) as its columns say when it is read; no document is stored beside them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/listing.hpp"

namespace linnet::jobs {

struct EventRow {
    std::int64_t id = 0;
    std::optional<std::int64_t> user_id;
    std::optional<std::string> username;
    std::string action;
    std::optional<std::int64_t> entity_id;
    std::optional<std::string> entity_type;
    std::optional<std::string> entity_label;
    std::optional<std::string> secondary;  // the secondary entity as a JSON object
    std::string status;
    std::optional<std::int64_t> percent_complete;
    bool seen = false;
    bool read = false;
    std::string message;
    std::string created;
    std::int64_t created_unix = 0;  // milliseconds
    std::optional<double> duration;
};

// Which events a caller may see: a condition on the events table and its parameters (see
// auth::visible_events).
struct EventVisibility {
    std::string condition = "1=1";
    store::Params params;
};

class EventRepository {
  public:
    explicit EventRepository(store::Transaction& tx) : tx_(tx) {}
    // The events of an entity (its type and id) go to another account with it.
    void move_entity(const std::string& type, std::int64_t id, std::int64_t account_id);

    // Stores a new event (its id, seen and read are ignored); answers its id.
    std::int64_t add(const EventRow& event);
    std::optional<EventRow> find(std::int64_t id);
    // Moves an event on; percent and message stay as they were where not given. An event that
    // ends gets its duration, from its creation to `ended_ms`.
    void update(std::int64_t id, const std::string& status, std::optional<std::int64_t> percent,
                std::optional<std::string> message, std::optional<std::int64_t> ended_ms);
    // An event as /account/events shows it.
    std::optional<std::string> document(std::int64_t id);

    // Events newest first, filterable on id, action, created, read, entity.id and entity.type.
    store::Listing visible_to(const EventVisibility& visibility);
    bool is_visible(std::int64_t id, const EventVisibility& visibility);
    // "seen" marks every event up to one, "read" marks one.
    void mark_seen_up_to(std::int64_t id);
    void mark_read(std::int64_t id);

  private:
    std::int64_t account_of(const EventRow& e);

    store::Transaction& tx_;
};

}  // namespace linnet::jobs
