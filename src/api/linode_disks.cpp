// /linode/instances/{linodeId}/disks: a Linode's disks, created empty or from an image, resized,
// cloned, relabelled, deleted, and their root password reset. Each change that takes time is a job.
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "linodes/disk_repository.hpp"
#include "linodes/provisioning.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

const char* kFilesystems[] = {"raw", "swap", "ext3", "ext4", "initrd"};

linodes::Disk disk_of(http::Context& ctx, std::int64_t linode_id) {
    auto disk = linodes::DiskRepository(ctx.tx()).find_of(linode_id, id_param(ctx, "diskId"));
    if (!disk) throw errors::not_found();
    return *disk;
}

std::int64_t free_space(http::Context& ctx, const linodes::Instance& linode) {
    return linode.settings.at("specs").as_object().at("disk").to_number<std::int64_t>() -
           linodes::DiskRepository(ctx.tx()).total_size(linode.id);
}

jobs::Entity disk_entity(std::int64_t linode_id, std::int64_t disk_id, const std::string& label) {
    return {
        json::value(disk_id), "disk", label,
        "/v4/linode/instances/" + std::to_string(linode_id) + "/disks/" + std::to_string(disk_id)};
}

http::Response disk_response(http::Context& ctx, std::int64_t disk_id) {
    return http::Response::json(
        linodes::disk_doc(linodes::DiskRepository(ctx.tx()).find(disk_id).value()));
}

http::Response create(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {false, 1, 48});
    auto size = reader.integer("size", true);
    auto image_id = reader.string("image");
    auto root_pass = reader.string("root_pass");
    auto filesystem = reader.string("filesystem");
    const auto keys = reader.string_list("authorized_keys").value_or(std::vector<std::string>{});
    std::optional<json::object> image;
    if (image_id) {
        image = linodes::find_image(ctx.tx(), *image_id, images_visible(ctx));
        if (!image)
            reader.fail("image", "image is not valid");
        else if (auto problem = linodes::image_region_problem(*image, linode.region))
            reader.fail("image", *problem);
        if (!root_pass) reader.fail("root_pass", "root_pass is required");
    }
    if (root_pass)
        if (auto problem = linodes::root_pass_problem(*root_pass))
            reader.fail("root_pass", *problem);
    if (filesystem) {
        bool ok = false;
        for (const char* f : kFilesystems) ok = ok || *filesystem == f;
        if (!ok)
            reader.fail("filesystem", "filesystem must be one of raw, swap, ext3, ext4, initrd");
    }
    if (size && *size < 1) reader.fail("size", "size must be at least 1 MB");
    if (size && image && *size < image->at("size").to_number<std::int64_t>())
        reader.fail("size", "size is smaller than the image");
    if (size && *size > free_space(ctx, linode))
        reader.fail("size", "Insufficient space for this disk on the Linode's plan");
    if (linodes::DiskRepository(ctx.tx()).of_linode(linode.id).size() >= 50)
        reader.fail("size", "A Linode may have at most 50 disks");
    reader.finish();
    const std::string disk_label =
        label.value_or(image ? std::string(image->at("label").as_string()) + " Disk"
                             : "disk-" + std::to_string(*size));
    const std::int64_t disk_id =
        linodes::insert_disk(ctx.tx(), linode.id, disk_label, *size,
                             filesystem.value_or(image ? "ext4" : "ext4"), image_id, "not ready");
    json::object payload{{"disk_id", disk_id}};
    if (env.disks_hold_credentials) linodes::add_credentials(payload, root_pass, keys);
    start_action(ctx, env, linode, "disk_create", payload,
                 disk_entity(linode.id, disk_id, disk_label));
    return disk_response(ctx, disk_id);
}

http::Response update(http::Context& ctx) {
    auto linode = linode_of(ctx);
    const auto disk = disk_of(ctx, linode.id);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {false, 1, 48});
    reader.finish();
    if (label) linodes::DiskRepository(ctx.tx()).set_label(disk.id, *label);
    notify(ctx, linode, "disk_update", disk_entity(linode.id, disk.id, label.value_or(disk.label)));
    return disk_response(ctx, disk.id);
}

http::Response remove(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto disk = disk_of(ctx, linode.id);
    linodes::DiskRepository(ctx.tx()).set_status(disk.id, "deleting");
    start_action(ctx, env, linode, "disk_delete", json::object{{"disk_id", disk.id}},
                 disk_entity(linode.id, disk.id, disk.label));
    return http::Response::json("{}");
}

http::Response resize(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto disk = disk_of(ctx, linode.id);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto size = reader.integer("size", true);
    if (size && *size < 1) reader.fail("size", "size must be at least 1 MB");
    if (size && *size - disk.size > free_space(ctx, linode))
        reader.fail("size", "Insufficient space for this disk on the Linode's plan");
    reader.finish();
    linodes::DiskRepository(ctx.tx()).set_status(disk.id, "not ready");
    start_action(ctx, env, linode, "disk_resize",
                 json::object{{"disk_id", disk.id}, {"size", *size}},
                 disk_entity(linode.id, disk.id, disk.label));
    return http::Response::json("{}");
}

http::Response clone(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto disk = disk_of(ctx, linode.id);
    if (disk.size > free_space(ctx, linode))
        throw errors::bad_request("Insufficient space to clone this disk on the Linode's plan");
    const std::string label = ("Copy of " + disk.label).substr(0, 48);
    const std::int64_t disk_id = linodes::insert_disk(ctx.tx(), linode.id, label, disk.size,
                                                      disk.filesystem, disk.image, "not ready");
    start_action(ctx, env, linode, "disk_duplicate",
                 json::object{{"disk_id", disk_id},
                              {"disk_map", json::object{{std::to_string(disk.id), disk_id}}}},
                 disk_entity(linode.id, disk_id, label));
    return disk_response(ctx, disk_id);
}

http::Response password(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto disk = disk_of(ctx, linode.id);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto pw = reader.string("password", {true});
    if (pw)
        if (auto problem = linodes::root_pass_problem(*pw)) reader.fail("password", *problem);
    if (disk.filesystem != "ext4" && disk.filesystem != "ext3")
        reader.fail("password", "Only ext3 and ext4 disks hold a root password");
    reader.finish();
    json::object payload{{"disk_id", disk.id}};
    if (env.disks_hold_credentials) linodes::add_credentials(payload, pw, {});
    start_action(ctx, env, linode, "password_reset", payload,
                 disk_entity(linode.id, disk.id, disk.label));
    return http::Response::json("{}");
}

}  // namespace

void register_linode_disks(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const auto ro = Requirement::of("linodes:read_only");
    const auto rw = Requirement::of("linodes:read_write");
    const std::string base = "/linode/instances/{linodeId}/disks";
    router.add("GET", base, "get-linode-disks", ro, [](http::Context& ctx) {
        auto linode = linode_of(ctx);
        return list(ctx, linodes::DiskRepository(ctx.tx()).listing(linode.id));
    });
    router.add("POST", base, "post-add-linode-disk", rw,
               [&env](http::Context& ctx) { return create(ctx, env); });
    router.add("GET", base + "/{diskId}", "get-linode-disk", ro, [](http::Context& ctx) {
        auto linode = linode_of(ctx);
        return http::Response::json(linodes::disk_doc(disk_of(ctx, linode.id)));
    });
    router.add("PUT", base + "/{diskId}", "put-disk", rw, update);
    router.add("DELETE", base + "/{diskId}", "delete-disk", rw,
               [&env](http::Context& ctx) { return remove(ctx, env); });
    router.add("POST", base + "/{diskId}/resize", "post-resize-disk", rw,
               [&env](http::Context& ctx) { return resize(ctx, env); });
    router.add("POST", base + "/{diskId}/clone", "post-clone-linode-disk", rw,
               [&env](http::Context& ctx) { return clone(ctx, env); });
    router.add("POST", base + "/{diskId}/password", "post-reset-disk-password", rw,
               [&env](http::Context& ctx) { return password(ctx, env); });
}

}  // namespace linnet::api
