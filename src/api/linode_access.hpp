// What every /linode/instances/{linodeId}/... route shares: finding the Linode the path names
// and starting a job-backed action on it under the lifecycle's rules.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/json.hpp"
#include "jobs/events.hpp"
#include "linodes/instances.hpp"

namespace linnet::api {

// The list of the Linodes the caller may see: all of them, or a restricted user's granted ones.
store::Listing visible_linode_list(http::Context& ctx);

// The stored document of the Linode, or 404.
http::Response linode_document(http::Context& ctx, std::int64_t id);

// The Linode of the path parameter linodeId, or 404; 403 when the caller's grant on it does not
// allow the request (GET reads, other methods act).
linodes::Instance linode_of(http::Context& ctx);

// Checks that `action` may start (400 "Linode busy." otherwise), shows its status, records its
// event and queues its job; the workers are woken once the request commits.
std::int64_t start_action(http::Context& ctx, const Environment& env, linodes::Instance& linode,
                          std::string_view action, boost::json::object payload,
                          std::optional<jobs::Entity> secondary = std::nullopt);

// Records a notification event about a Linode (updates that take no time).
// Reads `authorized_users` of a create or rebuild: the SSH keys of each named user of the
// account are added to `keys`; a name that is no user of the account is a field error.
// The account's private images the caller may read or deploy: a condition on their number.
std::pair<std::string, store::Params> images_visible(http::Context& ctx);

void read_authorized_users(http::Context& ctx, BodyReader& reader, std::vector<std::string>& keys);

// Reads `metadata.user_data` of a create, rebuild or clone: base64 of at most 65535 bytes, as
// given; nullopt when absent or null (a bad one is a field error).
std::optional<std::string> read_user_data(const boost::json::object& body, BodyReader& reader);

void notify(http::Context& ctx, const linodes::Instance& linode, const std::string& action,
            std::optional<jobs::Entity> secondary = std::nullopt);

}  // namespace linnet::api
