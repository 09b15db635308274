// POST /linodes/:id/boot|reboot|shutdown in the 2016 form: {} once the job is queued. A boot
// while the Linode is still being created makes the create job boot it, as 2016's
// create-then-boot walkthrough expects.
#include <boost/json.hpp>

#include "api/alpha/envelope.hpp"
#include "api/alpha/linode_access.hpp"
#include "api/alpha/routes.hpp"
#include "api/linode_access.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/provisioning.hpp"

namespace linnet::api::alpha {

namespace {

namespace json = boost::json;

// The Linode's first config profile: the 2016 API booted its one default profile.
std::optional<std::int64_t> first_config(http::Context& ctx, std::int64_t linode_id) {
    return linodes::ConfigRepository(ctx.tx()).first_id(linode_id);
}

http::Response boot(http::Context& ctx, const Environment& env, const char* action) {
    auto linode = linode_named(ctx);
    const bool is_boot = std::string_view(action) == "linode_boot";
    if (is_boot && linodes::boot_when_provisioned(ctx.tx(), linode.id))
        return object_response(json::object{});
    const auto config = first_config(ctx, linode.id);
    if (!config && is_boot) throw errors::bad_request("Linode has no config profile to boot.");
    json::object payload{{"final_status", "running"}};
    if (config) payload["config_id"] = *config;
    start_action(ctx, env, linode, action, payload);
    return object_response(json::object{});
}

http::Response shutdown(http::Context& ctx, const Environment& env) {
    auto linode = linode_named(ctx);
    start_action(ctx, env, linode, "linode_shutdown", json::object{{"final_status", "offline"}});
    return object_response(json::object{});
}

}  // namespace

void register_linode_actions(http::Router& router, const Environment& env) {
    const auto rw = auth::Requirement::of("linodes:read_write");
    router.add("POST", "/linodes/{linodeId}/boot", "alpha-boot-linode", rw,
               [&env](http::Context& ctx) { return boot(ctx, env, "linode_boot"); });
    router.add("POST", "/linodes/{linodeId}/reboot", "alpha-reboot-linode", rw,
               [&env](http::Context& ctx) { return boot(ctx, env, "linode_reboot"); });
    router.add("POST", "/linodes/{linodeId}/shutdown", "alpha-shutdown-linode", rw,
               [&env](http::Context& ctx) { return shutdown(ctx, env); });
}

}  // namespace linnet::api::alpha
