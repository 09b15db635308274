// The Linode lifecycle in one place: which actions may start from which status, the status
// each one shows while it runs, the steps its job goes through and the status it ends in.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "compute/driver.hpp"
#include "jobs/job_kind.hpp"
#include "store/database.hpp"

namespace linnet::linodes {

using jobs::Step;

struct Action {
    std::string_view name;                       // the event's action, e.g. "linode_boot"
    std::vector<std::string_view> allowed_from;  // statuses it may start from
    std::string_view shows;                      // status shown as soon as it is accepted
};

// The rule for an action by its event name; throws std::out_of_range for an unknown one.
const Action& action(std::string_view name);

// Refuses to start `name` on a Linode: 400 "Linode busy." while another job holds it, or 400
// saying which status the action needs.
void check_can_start(store::Transaction& tx, std::int64_t linode_id, std::string_view status,
                     std::string_view name);

// The steps of a job. The payload carries what the request decided (booted, final_status, ...).
std::vector<Step> plan(std::string_view action, const boost::json::object& payload);

bool is_settled(std::string_view status);

}  // namespace linnet::linodes
