// The instance actions: boot, reboot, shutdown, rebuild, resize, mutate, migrate, clone, rescue
// and password. Each is a job; the response is {} as soon as the job is queued.
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "api/stackscript_access.hpp"
#include "auth/grants.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/json.hpp"
#include "jobs/job_repository.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/disk_repository.hpp"
#include "linodes/lifecycle.hpp"
#include "linodes/provisioning.hpp"
#include "metadata/metadata_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

http::Response empty() {
    return http::Response::json("{}");
}

// The config to boot: the one named, or the Linode's first.
std::optional<std::int64_t> config_to_boot(http::Context& ctx, std::int64_t linode_id,
                                           const json::object& body) {
    BodyReader reader(body);
    auto config_id = reader.integer("config_id");
    reader.finish();
    linodes::ConfigRepository configs(ctx.tx());
    if (config_id) {
        if (!configs.find_of(linode_id, *config_id))
            throw errors::bad_request("config_id is not a config of this Linode", "config_id");
        return config_id;
    }
    return configs.first_id(linode_id);
}

http::Response boot(http::Context& ctx, const Environment& env, const char* action) {
    auto linode = linode_of(ctx);
    const auto body = parse_body(ctx.request.body);
    auto config = config_to_boot(ctx, linode.id, body);
    if (!config && std::string_view(action) == "linode_boot")
        throw errors::bad_request("Linode has no config profile to boot.");
    json::object payload{{"final_status", "running"}};
    if (config) payload["config_id"] = *config;
    start_action(ctx, env, linode, action, payload);
    return empty();
}

http::Response shutdown(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    start_action(ctx, env, linode, "linode_shutdown", json::object{{"final_status", "offline"}});
    return empty();
}

http::Response rebuild(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto image_id = reader.string("image", {true});
    auto root_pass = reader.string("root_pass", {true});
    auto keys = reader.string_list("authorized_keys").value_or(std::vector<std::string>{});
    read_authorized_users(ctx, reader, keys);
    const bool booted = reader.boolean("booted").value_or(true);
    const auto stackscript = read_deployment(ctx, body, image_id, reader);
    const auto user_data = read_user_data(body, reader);
    std::optional<json::object> image;
    if (image_id) {
        image = linodes::find_image(ctx.tx(), *image_id, images_visible(ctx));
        if (!image)
            reader.fail("image", "image is not valid");
        else if (auto problem = linodes::image_region_problem(*image, linode.region))
            reader.fail("image", *problem);
        else if (user_data && !linodes::image_runs_cloud_init(*image))
            reader.fail("metadata.user_data",
                        "The image does not support cloud-init: user_data needs an image with "
                        "the cloud-init capability");
    }
    if (root_pass)
        if (auto problem = linodes::root_pass_problem(*root_pass))
            reader.fail("root_pass", *problem);
    reader.finish();
    linodes::check_can_start(ctx.tx(), linode.id, linode.status, "linode_rebuild");
    // The old disks and configs go; the image's disks replace them.
    linodes::ConfigRepository(ctx.tx()).remove_all(linode.id);
    linodes::DiskRepository(ctx.tx()).remove_all(linode.id);
    linodes::lay_down_image_disks(
        ctx.tx(), linode.id, *image,
        linode.settings["specs"].as_object()["disk"].to_number<std::int64_t>(), 512, json::array{});
    linode.image = *image_id;
    // A rebuild is a new deployment: the user data and keys it gives replace the old ones.
    metadata::MetadataRepository(ctx.tx()).deploy(linode.id, user_data, keys);
    linode.settings["has_user_data"] = user_data.has_value();
    json::object payload{{"booted", booted},
                         {"final_status", booted ? "running" : "offline"},
                         {"fallback_status", "offline"}};
    if (env.disks_hold_credentials) linodes::add_credentials(payload, root_pass, keys);
    if (stackscript) {
        stackscripts::record_deployment(ctx.tx(), *stackscript, linode.id);
        if (env.disks_hold_credentials) stackscripts::add_deployment(payload, *stackscript);
    } else {
        stackscripts::StackScriptRepository(ctx.tx()).forget_deployment(linode.id);
    }
    start_action(
        ctx, env, linode, "linode_rebuild", payload,
        jobs::Entity{json::string(*image_id), "image", std::string(image->at("label").as_string()),
                     "/v4/images/" + *image_id});
    return linode_document(ctx, linode.id);
}

// Resize and mutate: a new type; the boot disk grows with it when allowed and unambiguous.
void change_type(http::Context& ctx, const Environment& env, linodes::Instance& linode,
                 const std::string& new_type, bool auto_resize, const char* action) {
    auto type = linodes::find_type(ctx.tx(), new_type);
    if (!type) throw errors::bad_request("A valid plan type by that ID was not found", "type");
    if (new_type == linode.type)
        throw errors::bad_request("Linode is already of this type.", "type");
    const std::int64_t new_disk = type->at("disk").to_number<std::int64_t>();
    const auto disks = linodes::DiskRepository(ctx.tx()).of_linode(linode.id);
    std::int64_t used = 0;
    for (const auto& d : disks) used += d.size;
    json::object payload{{"new_type", new_type}};
    std::int64_t ext_count = 0, ext_id = 0, other = 0;
    for (const auto& d : disks) {
        if (d.filesystem == "swap")
            other += d.size;
        else {
            ++ext_count;
            ext_id = d.id;
        }
    }
    if (auto_resize && ext_count == 1) {
        const std::int64_t size = new_disk - other;
        const std::int64_t needed = linode.image
                                        ? (linodes::find_image(ctx.tx(), *linode.image, {"1=1", {}})
                                               .value_or(json::object{{"size", 1}})
                                               .at("size")
                                               .to_number<std::int64_t>())
                                        : 1;
        if (size < std::max<std::int64_t>(needed, 1))
            throw errors::bad_request(
                "The new plan leaves too little room for the Linode's disks; resize them first.",
                "type");
        payload["resize_disk_id"] = ext_id;
        payload["resize_disk_size"] = size;
    } else if (used > new_disk) {
        throw errors::bad_request(
            "The Linode's disks use more space than the new plan provides; resize them first.",
            "type");
    }
    start_action(ctx, env, linode, action, payload);
}

http::Response resize(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto type = reader.string("type", {true});
    const bool auto_resize = reader.boolean("allow_auto_disk_resize").value_or(true);
    if (auto mt = reader.string("migration_type"); mt && *mt != "warm" && *mt != "cold")
        reader.fail("migration_type", "migration_type must be warm or cold");
    reader.finish();
    change_type(ctx, env, linode, *type, auto_resize, "linode_resize");
    return empty();
}

http::Response mutate(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const bool auto_resize = reader.boolean("allow_auto_disk_resize").value_or(true);
    reader.finish();
    auto type = linodes::find_type(ctx.tx(), linode.type);
    if (!type || !type->at("successor").is_string())
        throw errors::bad_request("Linode has no pending upgrade.");
    change_type(ctx, env, linode, std::string(type->at("successor").as_string()), auto_resize,
                "linode_mutate");
    return empty();
}

http::Response migrate(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto region = reader.string("region");
    if (auto t = reader.string("type"); t && *t != "warm" && *t != "cold")
        reader.fail("type", "type must be warm or cold");
    reader.boolean("upgrade");
    if (const auto* v = body.if_contains("placement_group"); v && !v->is_null())
        reader.fail("placement_group", "placement_group is not supported by this Linnet server");
    if (region) {
        auto caps = catalog::CatalogRepository(ctx.tx()).find_region_capabilities(*region);
        if (!caps || !caps->has("Linodes"))
            reader.fail("region", "region is not valid");
        else if (*region == linode.region)
            reader.fail("region", "The Linode is already in this region.");
        else if (linodes::ConfigRepository(ctx.tx()).in_vpc(linode.id))
            reader.fail("region",
                        "A Linode with an interface in a VPC stays in its VPC's region: remove "
                        "its vpc interfaces first.");
    }
    reader.finish();
    start_action(ctx, env, linode, "linode_migrate",
                 json::object{{"new_region", region.value_or(linode.region)}});
    return empty();
}

http::Response rescue(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto body = parse_body(ctx.request.body);
    if (const auto* devices = body.if_contains("devices"); devices && !devices->is_null()) {
        if (!devices->is_object())
            throw errors::bad_request("devices must be an object", "devices");
        for (const auto& [slot, device] : devices->as_object()) {
            if (slot == "sdh")
                throw errors::bad_request("sdh is reserved for the rescue image", "devices.sdh");
            if (device.is_null()) continue;
            const auto* disk =
                device.is_object() ? device.as_object().if_contains("disk_id") : nullptr;
            if (disk == nullptr || !disk->is_int64() ||
                !linodes::DiskRepository(ctx.tx()).find_of(linode.id, disk->as_int64()))
                throw errors::bad_request("Not a disk of this Linode",
                                          "devices." + std::string(slot) + ".disk_id");
        }
    }
    start_action(ctx, env, linode, "linode_rescue", json::object{{"final_status", "running"}});
    return empty();
}

http::Response password(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto root_pass = reader.string("root_pass", {true});
    if (root_pass)
        if (auto problem = linodes::root_pass_problem(*root_pass))
            reader.fail("root_pass", *problem);
    reader.finish();
    json::object payload;
    if (env.disks_hold_credentials) linodes::add_credentials(payload, root_pass, {});
    start_action(ctx, env, linode, "password_reset", payload);
    return empty();
}

http::Response clone(http::Context& ctx, const Environment& env) {
    auto source = linode_of(ctx);
    const auto& me = ctx.caller();
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto target_id = reader.integer("linode_id");
    auto region = reader.string("region");
    auto type = reader.string("type");
    auto label = reader.string("label");
    auto group = reader.string("group", {false, 0, 50});
    const bool backups = reader.boolean("backups_enabled").value_or(false);
    const bool private_ip = reader.boolean("private_ip").value_or(false);
    const auto user_data = read_user_data(body, reader);
    if (user_data && target_id)
        reader.fail("metadata.user_data",
                    "user_data cannot be given when cloning to an existing Linode");
    std::vector<std::int64_t> disk_ids, config_ids;
    for (auto [field, out] : {std::pair{"disks", &disk_ids}, std::pair{"configs", &config_ids}})
        if (const auto* v = body.if_contains(field); v && !v->is_null()) {
            if (!v->is_array())
                reader.fail(field, std::string(field) + " must be a list of ids");
            else
                for (const auto& id : v->as_array()) {
                    if (!id.is_int64())
                        reader.fail(field, std::string(field) + " must be a list of ids");
                    else
                        out->push_back(id.as_int64());
                }
        }
    if (!target_id && (!region || !type))
        reader.fail(region ? "type" : "region",
                    "region and type are required unless linode_id names an existing Linode");
    reader.finish();
    auto& tx = ctx.tx();
    linodes::check_can_start(tx, source.id, source.status, "linode_clone");

    // Which disks and configs travel: all by default.
    auto chosen = [&](const char* field, const std::vector<std::int64_t>& owned,
                      const std::vector<std::int64_t>& ids) {
        std::vector<std::int64_t> out;
        for (auto id : owned)
            if (ids.empty() || std::find(ids.begin(), ids.end(), id) != ids.end())
                out.push_back(id);
        if (out.size() != (ids.empty() ? out.size() : ids.size()))
            throw errors::bad_request(std::string(field) + " must belong to the source Linode",
                                      field);
        return out;
    };
    linodes::DiskRepository disk_store(tx);
    linodes::ConfigRepository config_store(tx);
    std::vector<std::int64_t> source_disks, source_configs;
    for (const auto& d : disk_store.of_linode(source.id)) source_disks.push_back(d.id);
    for (const auto& c : config_store.of_linode(source.id))
        source_configs.push_back(c.at("id").as_int64());
    const auto disks = chosen("disks", source_disks, disk_ids);
    const auto configs = chosen("configs", source_configs, config_ids);
    auto disk_size = [&](std::int64_t id) { return disk_store.find(id).value().size; };

    std::int64_t target;
    if (target_id) {
        auto existing = linodes::get(tx, *target_id);
        auth::require_linode(tx, me, existing.id, auth::Permission::read_write);
        if (existing.id == source.id)
            throw errors::bad_request("A Linode cannot be cloned onto itself.", "linode_id");
        linodes::check_can_start(tx, existing.id, existing.status, "password_reset");
        target = existing.id;
        std::int64_t free =
            existing.settings["specs"].as_object()["disk"].to_number<std::int64_t>();
        free -= disk_store.total_size(target);
        for (auto id : disks) free -= disk_size(id);
        if (free < 0)
            throw errors::bad_request("The target Linode has too little free disk space.",
                                      "linode_id");
        linodes::set_status(tx, target, "provisioning");
    } else {
        auth::require_global(tx, me, "add_linodes");
        linodes::NewLinode r;
        r.user_id = me.user_id;
        r.username = me.username;
        r.region = *region;
        r.type = *type;
        r.label = label;
        r.group = group.value_or("");
        r.backups_enabled = backups;
        r.private_ip = private_ip;
        r.tags = source.tags;
        r.booted = false;
        r.user_data = user_data;
        if (auto plan = linodes::find_type(tx, r.type)) {
            std::int64_t needed = 0;
            for (auto id : disks) needed += disk_size(id);
            if (needed > plan->at("disk").to_number<std::int64_t>())
                throw errors::bad_request("The chosen disks do not fit in the new Linode's plan.",
                                          "type");
        }
        const auto created = linodes::create_linode(tx, r, env.ipv4_pool);
        auth::grant_creator(tx, me, "linode", created.id);
        target = created.id;
        // The clone job carries the new Linode; its own create job has nothing left to do.
        jobs::JobRepository(tx).set_state_on(target, "linode_create", "done");
        jobs::update_event(tx, created.event_id, "finished", 100);
        linodes::set_status(tx, target, "provisioning");
    }
    std::map<std::int64_t, std::int64_t> disk_map;
    for (auto id : disks) {
        const auto disk = disk_store.find(id).value();
        disk_map[id] = disk_store.insert(target, disk.label, disk.size, disk.filesystem, disk.image,
                                         "not ready");
    }
    const std::string target_region = target_id ? linodes::get(tx, target).region : *region;
    for (auto id : configs) {
        auto doc = config_store.find(id).value();
        for (const auto& itf : doc["interfaces"].as_array())
            if (itf.as_object().at("purpose") == "vpc" && target_region != source.region)
                throw errors::bad_request(
                    "A config with a vpc interface is cloned only within its VPC's region.",
                    target_id ? "linode_id" : "region");
        for (auto& [slot, device] : doc["devices"].as_object()) {
            if (!device.is_object()) continue;
            const auto* disk = device.as_object().if_contains("disk_id");
            if (disk && disk->is_int64() && disk_map.count(disk->as_int64()))
                device.as_object()["disk_id"] = disk_map[disk->as_int64()];
            else
                device = nullptr;
        }
        linodes::insert_config(tx, target, doc, linodes::VpcAddressing::renumbered);
    }
    linodes::refresh(tx, target);
    auto target_linode = linodes::get(tx, target);
    json::object copies;
    for (const auto& [from, to] : disk_map) copies[std::to_string(from)] = to;
    start_action(ctx, env, source, "linode_clone",
                 json::object{{"target_id", target}, {"disk_map", copies}},
                 jobs::linode_entity(target, target_linode.label));
    return linode_document(ctx, target);
}

}  // namespace

void register_linode_actions(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const auto rw = Requirement::of("linodes:read_write");
    auto add = [&](const char* path, const char* op, auto handler) {
        router.add("POST", std::string("/linode/instances/{linodeId}/") + path, op, rw,
                   [&env, handler](http::Context& ctx) { return handler(ctx, env); });
    };
    add("boot", "post-boot-linode-instance",
        [](http::Context& c, const Environment& e) { return boot(c, e, "linode_boot"); });
    add("reboot", "post-reboot-linode-instance",
        [](http::Context& c, const Environment& e) { return boot(c, e, "linode_reboot"); });
    add("shutdown", "post-shutdown-linode-instance", shutdown);
    add("rebuild", "post-rebuild-linode-instance", rebuild);
    add("resize", "post-resize-linode-instance", resize);
    add("mutate", "post-mutate-linode-instance", mutate);
    add("migrate", "post-migrate-linode-instance", migrate);
    add("clone", "post-clone-linode-instance", clone);
    add("rescue", "post-rescue-linode-instance", rescue);
    add("password", "post-reset-linode-password", password);
}

}  // namespace linnet::api
