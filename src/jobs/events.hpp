// Events: the account's record of every action, as /account/events shows it. A job's event
// goes scheduled -> started -> finished | failed, with percent_complete on the way;
// instantaneous changes are "notification" events.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace linnet::jobs {

struct Entity {
    boost::json::value id;  // an integer, or a string for images
    std::string type;       // "linode", "disks", "linode_config", "token", ...
    std::string label;
    std::string url;
};

struct NewEvent {
    std::string action;
    std::optional<Entity> entity;
    std::optional<Entity> secondary;
    std::string status = "scheduled";
    std::int64_t user_id = 0;
    std::string username;
    std::string message;
};

std::int64_t record_event(store::Transaction& tx, const NewEvent& event);

// Moves an event on; a finished or failed one gets its duration.
void update_event(store::Transaction& tx, std::int64_t id, const std::string& status,
                  std::optional<int> percent, std::optional<std::string> message = std::nullopt);

// The entity of a Linode, for events about it.
Entity linode_entity(std::int64_t id, const std::string& label);

}  // namespace linnet::jobs
