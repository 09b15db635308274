// /linode/instances/{linodeId}/disks: a Linode's disks, created empty or from an image, resized,
// cloned, relabelled, deleted, and their root password reset. Each change that takes time is a job.
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "linodes/provisioning.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using filter::FieldType;

const filter::Schema kDisks{{
                                {"id", "id", FieldType::integer},
                                {"label", "label", FieldType::text},
                                {"filesystem", "filesystem", FieldType::text},
                                {"status", "status", FieldType::text},
                                {"size", "size", FieldType::integer},
                            },
                            "id"};

const char* kFilesystems[] = {"raw", "swap", "ext3", "ext4", "initrd"};

store::Row disk_row(http::Context& ctx, std::int64_t linode_id) {
    auto rows = ctx.tx().query(std::string("SELECT ") + linodes::kDiskColumns +
                                   " FROM disks WHERE id = ? AND linode_id = ?",
                               {id_param(ctx, "diskId"), linode_id});
    if (rows.empty()) throw errors::not_found();
    return rows.front();
}

std::int64_t free_space(http::Context& ctx, const linodes::Instance& linode) {
    std::int64_t free =
        linode.settings.at("specs").as_object().at("disk").to_number<std::int64_t>();
    for (const auto& r : ctx.tx().query("SELECT size FROM disks WHERE linode_id = ?", {linode.id}))
        free -= r.integer(0);
    return free;
}

jobs::Entity disk_entity(std::int64_t linode_id, std::int64_t disk_id, const std::string& label) {
    return {
        json::value(disk_id), "disk", label,
        "/v4/linode/instances/" + std::to_string(linode_id) + "/disks/" + std::to_string(disk_id)};
}

http::Response disk_response(http::Context& ctx, std::int64_t disk_id) {
    auto rows = ctx.tx().query(
        std::string("SELECT ") + linodes::kDiskColumns + " FROM disks WHERE id = ?", {disk_id});
    return http::Response::json(linodes::disk_doc(rows.at(0)));
}

http::Response create(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    const auto& me = ctx.caller();
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
        image = linodes::find_image(ctx.tx(), *image_id, me.user_id);
        if (!image) reader.fail("image", "image is not valid");
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
    if (ctx.tx()
            .query("SELECT COUNT(*) FROM disks WHERE linode_id = ?", {linode.id})
            .at(0)
            .integer(0) >= 50)
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
    auto row = disk_row(ctx, linode.id);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {false, 1, 48});
    reader.finish();
    if (label)
        ctx.tx().execute("UPDATE disks SET label = ?, updated = ? WHERE id = ?",
                         {*label, now_utc(), row.integer(0)});
    notify(ctx, linode, "disk_update",
           disk_entity(linode.id, row.integer(0), label.value_or(row.text(1))));
    return disk_response(ctx, row.integer(0));
}

http::Response remove(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    auto row = disk_row(ctx, linode.id);
    ctx.tx().execute("UPDATE disks SET status = 'deleting' WHERE id = ?", {row.integer(0)});
    start_action(ctx, env, linode, "disk_delete", json::object{{"disk_id", row.integer(0)}},
                 disk_entity(linode.id, row.integer(0), row.text(1)));
    return http::Response::json("{}");
}

http::Response resize(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    auto row = disk_row(ctx, linode.id);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto size = reader.integer("size", true);
    if (size && *size < 1) reader.fail("size", "size must be at least 1 MB");
    if (size && *size - row.integer(3) > free_space(ctx, linode))
        reader.fail("size", "Insufficient space for this disk on the Linode's plan");
    reader.finish();
    ctx.tx().execute("UPDATE disks SET status = 'not ready' WHERE id = ?", {row.integer(0)});
    start_action(ctx, env, linode, "disk_resize",
                 json::object{{"disk_id", row.integer(0)}, {"size", *size}},
                 disk_entity(linode.id, row.integer(0), row.text(1)));
    return http::Response::json("{}");
}

http::Response clone(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    auto row = disk_row(ctx, linode.id);
    if (row.integer(3) > free_space(ctx, linode))
        throw errors::bad_request("Insufficient space to clone this disk on the Linode's plan");
    std::optional<std::string> image;
    if (!row.is_null(8)) image = row.text(8);
    const std::string label = ("Copy of " + row.text(1)).substr(0, 48);
    const std::int64_t disk_id = linodes::insert_disk(ctx.tx(), linode.id, label, row.integer(3),
                                                      row.text(4), image, "not ready");
    start_action(
        ctx, env, linode, "disk_duplicate",
        json::object{{"disk_id", disk_id},
                     {"disk_map", json::object{{std::to_string(row.integer(0)), disk_id}}}},
        disk_entity(linode.id, disk_id, label));
    return disk_response(ctx, disk_id);
}

http::Response password(http::Context& ctx, const Environment& env) {
    auto linode = linode_of(ctx);
    auto row = disk_row(ctx, linode.id);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto pw = reader.string("password", {true});
    if (pw)
        if (auto problem = linodes::root_pass_problem(*pw)) reader.fail("password", *problem);
    if (row.text(4) != "ext4" && row.text(4) != "ext3")
        reader.fail("password", "Only ext3 and ext4 disks hold a root password");
    reader.finish();
    json::object payload{{"disk_id", row.integer(0)}};
    if (env.disks_hold_credentials) linodes::add_credentials(payload, pw, {});
    start_action(ctx, env, linode, "password_reset", payload,
                 disk_entity(linode.id, row.integer(0), row.text(1)));
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
        return list(ctx, rendered({"disks", kDisks, "linode_id = ?", {linode.id}},
                                  linodes::kDiskColumns, linodes::disk_doc));
    });
    router.add("POST", base, "post-add-linode-disk", rw,
               [&env](http::Context& ctx) { return create(ctx, env); });
    router.add("GET", base + "/{diskId}", "get-linode-disk", ro, [](http::Context& ctx) {
        auto linode = linode_of(ctx);
        return http::Response::json(linodes::disk_doc(disk_row(ctx, linode.id)));
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
