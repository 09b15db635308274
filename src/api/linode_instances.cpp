// /linode/instances: list, create in one call, get, update, delete.
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "api/stackscript_access.hpp"
#include "auth/grants.hpp"
#include "auth/user_repository.hpp"
#include "backups/backups.hpp"
#include "core/json.hpp"
#include "firewalls/firewalls.hpp"
#include "images/image_repository.hpp"
#include "jobs/jobs.hpp"
#include "linodes/display_label.hpp"
#include "linodes/interfaces.hpp"
#include "linodes/lifecycle.hpp"
#include "linodes/provisioning.hpp"
#include "placement/placement_groups.hpp"
#include "tags/tag_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

const StringRule kTag{false, 1, 50};

}  // namespace

namespace {

// Reads the body of POST /linode/instances into a creation request.
linodes::NewLinode read_create(http::Context& ctx) {
    const auto& me = ctx.caller();
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    linodes::NewLinode r;
    r.user_id = me.user_id;
    r.username = me.username;
    r.region = reader.string("region", {true}).value_or("");
    r.type = reader.string("type", {true}).value_or("");
    r.label = reader.string("label");
    r.image = reader.string("image");
    r.images_visible = images_visible(ctx);
    // The image is read with the account's settings below, in one round trip.
    if (r.image) images::ImageRepository(ctx.tx()).read_ahead_usable(*r.image, r.images_visible);
    r.root_pass = reader.string("root_pass");
    r.authorized_keys = reader.string_list("authorized_keys", {false, 1, 4096})
                            .value_or(std::vector<std::string>{});
    for (const auto& key : r.authorized_keys)
        if (key.rfind("ssh-", 0) != 0 && key.rfind("ecdsa-", 0) != 0 && key.rfind("sk-", 0) != 0)
            reader.fail("authorized_keys", "authorized_keys must be SSH public keys");
    read_authorized_users(ctx, reader, r.authorized_keys);
    r.booted = reader.boolean("booted").value_or(true);
    r.swap_size = reader.integer("swap_size").value_or(512);
    r.private_ip = reader.boolean("private_ip").value_or(false);
    // Without the field, the account's default (read with the create's first reads).
    r.backups_enabled = reader.boolean("backups_enabled");
    r.tags = reader.string_list("tags", kTag).value_or(std::vector<std::string>{});
    r.group = reader.string("group", {false, 0, 50}).value_or("");
    if (auto enc = reader.string("disk_encryption")) {
        if (*enc != "enabled" && *enc != "disabled")
            reader.fail("disk_encryption", "disk_encryption must be enabled or disabled");
        else
            r.disk_encryption = *enc;
    }
    r.user_data = read_user_data(body, reader);
    if (const auto* itf = body.if_contains("interfaces"))
        if (auto list = linodes::read_interfaces(*itf, reader)) r.interfaces = std::move(*list);
    // Parts of the API that Linnet does not have yet are refused, never silently ignored.
    r.stackscript = read_deployment(ctx, body, r.image, reader);
    for (const char* absent : {"backup_id"})
        if (const auto* v = body.if_contains(absent); v && !v->is_null())
            reader.fail(absent, std::string(absent) + " is not supported by this Linnet server");
    if (r.swap_size < 0) reader.fail("swap_size", "swap_size must be 0 or more");
    reader.finish();
    return r;
}

http::Response create(http::Context& ctx, const Environment& env) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_linodes");
    auto request = read_create(ctx);
    std::optional<std::int64_t> firewall_id;
    std::optional<placement::PlacementGroup> group;
    {
        const json::object body = parse_body(ctx.request.body);
        BodyReader reader(body);
        firewall_id = reader.integer("firewall_id");
        bool compliant_only = false;
        if (const auto* pg = body.if_contains("placement_group"); pg && !pg->is_null()) {
            const auto* id = pg->is_object() ? pg->as_object().if_contains("id") : nullptr;
            const auto* only =
                pg->is_object() ? pg->as_object().if_contains("compliant_only") : nullptr;
            if (!id || !id->is_int64() || (only && !only->is_bool() && !only->is_null()))
                reader.fail("placement_group",
                            "placement_group must be an object with the group's id");
            else {
                compliant_only = only && only->is_bool() && only->as_bool();
                group = placement::PlacementGroupRepository(ctx.tx()).find(id->as_int64());
                if (!group) reader.fail("placement_group", "Placement group not found");
            }
        }
        reader.finish();
        if (group) {
            auth::require_entity(ctx.tx(), ctx.caller(), "placement_group", group->id,
                                 auth::Permission::read_write, true);
            placement::check_room(ctx.tx(), *group, request.region, "placement_group");
            request.placement = placement::choice_for(*group);
            request.placement_strict = group->policy == "strict" || compliant_only;
        }
    }
    std::optional<firewalls::Firewall> firewall;
    if (firewall_id) {
        firewall = firewalls::FirewallRepository(ctx.tx()).find(*firewall_id);
        if (!firewall) throw errors::bad_request("Firewall not found", "firewall_id");
        auth::require_entity(ctx.tx(), ctx.caller(), "firewall", *firewall_id,
                             auth::Permission::read_write, true);
    }
    request.keep_credentials = env.disks_hold_credentials;
    const auto created = linodes::create_linode(ctx.tx(), request, env.ipv4_pool);
    auth::grant_creator(ctx.tx(), ctx.caller(), "linode", created.id);
    if (group)
        placement::assign(ctx.tx(), {ctx.caller().user_id, ctx.caller().username}, *group,
                          {created.id});
    if (firewall)
        firewalls::add_device(ctx.tx(), {ctx.caller().user_id, ctx.caller().username}, *firewall,
                              "linode", created.id);
    ctx.after_commit.push_back(env.wake_workers);
    return linode_document(ctx, created.id);
}

http::Response update(http::Context& ctx) {
    auto linode = linode_of(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (auto label = reader.string("label")) {
        if (!linodes::valid_label(*label))
            reader.fail("label",
                        "Label must be 3-64 characters of letters, numbers, hyphens, "
                        "underscores or periods");
        else if (linodes::label_taken(ctx.tx(), *label, linode.id))
            reader.fail("label", "Label must be unique among your Linodes");
        else {
            linode.label = *label;
            linodes::clear_display_label(linode);
        }
    }
    if (auto tags = reader.string_list("tags", kTag)) linode.tags = *tags;
    if (auto group = reader.string("group", {false, 0, 50})) linode.group = *group;
    if (auto watchdog = reader.boolean("watchdog_enabled"))
        linode.settings["watchdog_enabled"] = *watchdog;
    if (auto policy = reader.string("maintenance_policy")) {
        if (*policy != "linode/migrate" && *policy != "linode/power_off_on")
            reader.fail("maintenance_policy",
                        "maintenance_policy must be linode/migrate or linode/power_off_on");
        else
            linode.settings["maintenance_policy"] = *policy;
    }
    if (const auto* alerts = body.if_contains("alerts")) {
        if (!alerts->is_object()) {
            reader.fail("alerts", "alerts must be an object");
        } else {
            auto& current = linode.settings["alerts"].as_object();
            for (const auto& [key, value] : alerts->as_object()) {
                if (!current.contains(key)) {
                    reader.fail("alerts." + std::string(key), "Unknown alert");
                } else if (!value.is_int64() || value.as_int64() < 0) {
                    reader.fail("alerts." + std::string(key), "Alert thresholds are whole numbers");
                } else {
                    current[key] = value;
                }
            }
        }
    }
    if (const auto* backups = body.if_contains("backups")) {
        const json::value* schedule =
            backups->is_object() ? backups->as_object().if_contains("schedule") : nullptr;
        if (schedule == nullptr || !schedule->is_object()) {
            reader.fail("backups", "backups must be an object with a schedule");
        } else {
            auto& current = linode.settings["backups"].as_object()["schedule"].as_object();
            static const char* days[] = {"Scheduling", "Sunday",   "Monday", "Tuesday",
                                         "Wednesday",  "Thursday", "Friday", "Saturday"};
            // null and "Scheduling" are what GET shows before a schedule is chosen: a client
            // that sends the object back unchanged sends them.
            if (const auto* day = schedule->as_object().if_contains("day")) {
                bool ok = day->is_null();
                for (const char* d : days) ok = ok || (day->is_string() && day->as_string() == d);
                if (ok)
                    current["day"] = *day;
                else
                    reader.fail("backups.schedule.day", "day must be a day of the week");
            }
            if (const auto* window = schedule->as_object().if_contains("window")) {
                bool ok = window->is_null() ||
                          (window->is_string() && window->as_string() == "Scheduling");
                for (int w = 0; w <= 22; w += 2)
                    ok = ok ||
                         (window->is_string() && window->as_string() == "W" + std::to_string(w));
                if (ok)
                    current["window"] = *window;
                else
                    reader.fail("backups.schedule.window", "window must be one of W0, W2, ... W22");
            }
        }
    }
    reader.finish();
    for (const auto& tag : linode.tags) tags::TagRepository(ctx.tx()).add(tag);
    linodes::save(ctx.tx(), linode);
    if (body.contains("backups")) backups::reschedule(ctx.tx(), linode);
    notify(ctx, linode, "linode_update");
    return linode_document(ctx, linode.id);
}

http::Response remove(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    linodes::check_can_start(ctx.tx(), linode.id, linode.status, "linode_delete");
    jobs::cancel_jobs(ctx.tx(), linode.id, "The Linode was deleted.");
    start_action(ctx, env, linode, "linode_delete", json::object{{"final_status", "deleting"}});
    return http::Response::json("{}");
}

}  // namespace

void register_linode_instances(http::Router& router, const Environment& env) {
    using auth::Requirement;
    router.add(
        "GET", "/linode/instances", "get-linode-instances", Requirement::of("linodes:read_only"),
        [](http::Context& ctx) {
            return versioned_list(ctx, linodes::kListFamily, visible_linode_list(ctx));
        },
        /*immutable=*/false, std::string(linodes::kListFamily));
    router.add("POST", "/linode/instances", "post-linode-instance",
               Requirement::of("linodes:read_write"),
               [&env](http::Context& ctx) { return create(ctx, env); });
    router.add("GET", "/linode/instances/{linodeId}", "get-linode-instance",
               Requirement::of("linodes:read_only"), [](http::Context& ctx) {
                   const std::int64_t id = id_param(ctx, "linodeId");
                   auth::require_linode(ctx.tx(), ctx.caller(), id, auth::Permission::read_only);
                   return linode_document(ctx, id);
               });
    router.add("PUT", "/linode/instances/{linodeId}", "put-linode-instance",
               Requirement::of("linodes:read_write"), update);
    router.add("DELETE", "/linode/instances/{linodeId}", "delete-linode-instance",
               Requirement::of("linodes:read_write"),
               [&env](http::Context& ctx) { return remove(ctx, env); });
}

}  // namespace linnet::api
