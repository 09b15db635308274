// StackScripts: the rules of writing, publishing and deleting them, the events each change
// records, and what deploying one to a Linode takes (a compatible image and values for its
// user-defined fields). A public script is deployable by every account and never private again.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "jobs/events.hpp"
#include "stackscripts/stackscript_repository.hpp"
#include "store/database.hpp"

namespace linnet::stackscripts {

// Who asked, for events.
struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

// The fields of a create or an update; an update leaves out what it does not change.
struct Changes {
    std::optional<std::string> label;
    std::optional<std::string> description;
    std::optional<std::string> script;
    std::optional<std::string> rev_note;
    std::optional<bool> is_public;
    std::optional<std::vector<std::string>> images;
};

// 400 naming each field that breaks a rule; the script is the account's, owned by the actor.
StackScript create(store::Transaction& tx, const Actor& actor, const Changes& request);
// Applies the changes (a public script stays public); records stackscript_update, and
// stackscript_revise when the script changed and stackscript_publicize when it became public.
void update(store::Transaction& tx, const Actor& actor, StackScript& script,
            const Changes& changes);
void remove(store::Transaction& tx, const Actor& actor, const StackScript& script);

// What a Linode deployed from a script runs at its first boot.
struct Deployment {
    std::int64_t stackscript_id = 0;
    std::string script;
    std::map<std::string, std::string> values;  // each UDF's value
};

// Checks a deployment of `script` with `image` and `data` (stackscript_data), adding a problem
// for each broken rule; answers the deployment when there is none.
std::optional<Deployment> plan_deployment(const StackScript& script,
                                          const std::optional<std::string>& image,
                                          const boost::json::value* data,
                                          std::vector<ErrorDetail>& problems);
// The Linode is deployed from the script: counted for the script, and its active deployment.
void record_deployment(store::Transaction& tx, const Deployment& deployment,
                       std::int64_t linode_id);
// A job's payload carries the deployment to a driver that runs it at the first boot; the worker
// drops it (the values may be secrets) when the job ends.
void add_deployment(boost::json::object& payload, const Deployment& deployment);
// The driver's copy of a deployment, read back from a job's payload.
std::optional<Deployment> deployment_of(const boost::json::object& payload);

jobs::Entity stackscript_entity(const StackScript& script);

}  // namespace linnet::stackscripts
