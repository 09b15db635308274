// /linode/instances/{linodeId}/backups: a Linode's backups (automatic ones and its snapshot),
// enabling and cancelling the service, taking a snapshot, restoring a backup to a Linode.
#include <boost/json.hpp>
#include <filesystem>

#include "api/linode_access.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "backups/backups.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "jobs/job_repository.hpp"
#include "linodes/lifecycle.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

backups::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

bool enabled(const linodes::Instance& linode) {
    return linode.settings.at("backups").as_object().at("enabled").as_bool();
}

// The backup the path names, of the Linode the path names.
backups::Backup backup_of(http::Context& ctx, const linodes::Instance& linode) {
    auto backup = backups::BackupRepository(ctx.tx()).find(id_param(ctx, "backupId"));
    if (!backup || backup->linode_id != linode.id) throw errors::not_found();
    return *backup;
}

json::value document(const backups::Backup& b) {
    return json::parse(backups::render(b));
}

http::Response list_backups(http::Context& ctx) {
    const auto linode = linode_of(ctx);
    json::array automatic;
    json::value current = nullptr, in_progress = nullptr;
    for (const auto& b : backups::BackupRepository(ctx.tx()).of_linode(linode.id)) {
        if (b.type == "auto") {
            automatic.push_back(document(b));
        } else if (b.status == "successful") {
            if (current.is_null()) current = document(b);
        } else if (b.status == "pending" || b.status == "running") {
            if (in_progress.is_null()) in_progress = document(b);
        }
    }
    return http::Response::json(
        to_json(json::object{{"automatic", std::move(automatic)},
                             {"snapshot", json::object{{"current", std::move(current)},
                                                       {"in_progress", std::move(in_progress)}}}}));
}

http::Response snapshot(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto label = reader.string("label", {true, 1, 255});
    reader.finish();
    if (!enabled(linode)) throw errors::bad_request("Backups are not enabled for this Linode.");
    linodes::check_can_start(ctx.tx(), linode.id, linode.status, "linode_snapshot");
    const auto backup = backups::begin(ctx.tx(), linode, "snapshot", *label);
    start_action(ctx, env, linode, "linode_snapshot", json::object{{"backup_id", backup.id}});
    return http::Response::json(backups::render(backup));
}

http::Response enable(http::Context& ctx) {
    auto linode = linode_of(ctx);
    backups::enable(ctx.tx(), actor_of(ctx), linode);
    return http::Response::json("{}");
}

http::Response cancel(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    if (jobs::JobRepository(ctx.tx()).find_active_on(linode.id, "linode_snapshot"))
        throw errors::bad_request("Linode busy.");
    backups::cancel(ctx.tx(), actor_of(ctx), linode);
    // The backups' files go with them.
    ctx.after_commit.push_back([folder = env.shared / "backups" / std::to_string(linode.id)] {
        std::error_code ignored;
        std::filesystem::remove_all(folder, ignored);
    });
    return http::Response::json("{}");
}

http::Response get(http::Context& ctx) {
    const auto linode = linode_of(ctx);
    return http::Response::json(backups::render(backup_of(ctx, linode)));
}

http::Response restore(http::Context& ctx, const Environment& env) {
    const auto source = linode_of(ctx);
    const auto backup = backup_of(ctx, source);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto target_id = reader.integer("linode_id", true);
    const bool overwrite = reader.boolean("overwrite").value_or(false);
    reader.finish();
    if (backup.status != "successful")
        throw errors::bad_request("Only a successful backup can be restored.");
    auto target = linodes::find(ctx.tx(), *target_id);
    if (!target) throw errors::bad_request("Linode not found", "linode_id");
    auth::require_linode(ctx.tx(), ctx.caller(), target->id, auth::Permission::read_write);
    if (target->region != backup.region)
        throw errors::bad_request(
            "A backup is restored to a Linode of its region (" + backup.region + ")", "linode_id");
    linodes::check_can_start(ctx.tx(), target->id, target->status, "backups_restore");
    auto payload = backups::plan_restore(ctx.tx(), backup, *target, overwrite);
    payload["final_status"] = "offline";
    start_action(ctx, env, *target, "backups_restore", std::move(payload));
    return http::Response::json("{}");
}

}  // namespace

void register_linode_backups(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const auto ro = Requirement::of("linodes:read_only");
    const auto rw = Requirement::of("linodes:read_write");
    const std::string base = "/linode/instances/{linodeId}/backups";
    router.add("GET", base, "get-backups", ro, list_backups);
    router.add("POST", base, "post-snapshot", rw,
               [&env](http::Context& ctx) { return snapshot(ctx, env); });
    router.add("POST", base + "/cancel", "post-cancel-backups", rw,
               [&env](http::Context& ctx) { return cancel(ctx, env); });
    router.add("POST", base + "/enable", "post-enable-backups", rw, enable);
    router.add("GET", base + "/{backupId}", "get-backup", ro, get);
    router.add("POST", base + "/{backupId}/restore", "post-restore-backup", rw,
               [&env](http::Context& ctx) { return restore(ctx, env); });
}

}  // namespace linnet::api
