// /images: public images to everyone (without a token, too), the account's own images (private/N)
// to it: captured from a Linode's disk, uploaded, labelled, replicated to regions and deleted.
#include <boost/json.hpp>
#include <filesystem>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "images/image_repository.hpp"
#include "images/private_images.hpp"
#include "linodes/disk_repository.hpp"
#include "linodes/instances.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;

const StringRule kTag{false, 3, 100};

images::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

store::Listing visible(http::Context& ctx) {
    return images::ImageRepository::visible_to(images_visible(ctx));
}

// The account's image the path names, for a change: public images are the catalog's (403),
// others 404; a restricted caller needs read_write on it.
images::PrivateImage private_image_of(http::Context& ctx) {
    const std::string id = ctx.param("imageId");
    one(ctx, visible(ctx), "id", id);  // 404 for an image the caller cannot see
    auto image = images::ImageRepository(ctx.tx()).find_private(id);
    if (!image) throw errors::forbidden("Unauthorized");
    auth::require_entity(ctx.tx(), ctx.caller(), "image", image->number, Permission::read_write,
                         true);
    return *image;
}

http::Response document(http::Context& ctx, const std::string& id) {
    return one(ctx, visible(ctx), "id", id);
}

void read_common(BodyReader& reader, images::NewImage& request) {
    if (auto label = reader.string("label")) {
        if (auto problem = images::label_problem(*label))
            reader.fail("label", *problem);
        else
            request.label = *label;
    }
    request.description =
        reader.string("description", {false, 0, 65000, true}).value_or(std::string());
    request.cloud_init = reader.boolean("cloud_init").value_or(false);
    request.tags = reader.string_list("tags", kTag).value_or(std::vector<std::string>{});
}

http::Response capture(http::Context& ctx, const Environment& env) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_images");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    images::NewImage request;
    const auto disk_id = reader.integer("disk_id", true);
    read_common(reader, request);
    reader.finish();
    auto disk = linodes::DiskRepository(ctx.tx()).find(*disk_id);
    auto linode = disk ? linodes::find(ctx.tx(), disk->linode_id) : std::nullopt;
    const bool readable =
        linode && (!ctx.caller().restricted ||
                   auth::entity_permission(ctx.tx(), ctx.caller().user_id, "linode", linode->id) >=
                       Permission::read_only);
    if (!readable) throw errors::bad_request("Disk not found", "disk_id");
    if (disk->filesystem != "ext4" && disk->filesystem != "ext3")
        throw errors::bad_request("Only ext3 and ext4 disks can be captured", "disk_id");
    if (disk->status != "ready") throw errors::bad_request("Disk is not ready", "disk_id");
    auto image = images::begin_capture(ctx.tx(), actor_of(ctx), request, disk->label, disk->size,
                                       disk->image);
    auth::grant_creator(ctx.tx(), ctx.caller(), "image", image.number);
    start_action(ctx, env, *linode, "disk_imagize",
                 json::object{{"image_id", image.id}, {"disk_id", disk->id}},
                 images::image_entity(image));
    return document(ctx, image.id);
}

std::string base_url(http::Context& ctx) {
    const auto host = ctx.request.header("host");
    return std::string(ctx.request.secure ? "https://" : "http://") +
           std::string(host ? *host : "127.0.0.1");
}

http::Response begin_upload(http::Context& ctx) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_images");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    images::NewImage request;
    const auto region = reader.string("region", {true});
    if (!body.contains("label")) reader.fail("label", "label is required");
    read_common(reader, request);
    if (region) {
        auto found = catalog::CatalogRepository(ctx.tx()).find_region_capabilities(*region);
        if (!found || !found->has("Linodes")) reader.fail("region", "region is not valid");
    }
    reader.finish();
    auto upload = images::begin_upload(ctx.tx(), actor_of(ctx), request, *region);
    auth::grant_creator(ctx.tx(), ctx.caller(), "image", upload.image.number);
    const auto doc = document(ctx, upload.image.id);
    return http::Response::json(to_json(json::object{
        {"upload_to", base_url(ctx) + "/image-uploads/" + std::to_string(upload.image.number) +
                          "?secret=" + upload.secret},
        {"image", json::parse(doc.body)}}));
}

http::Response update(http::Context& ctx) {
    auto image = private_image_of(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (auto label = reader.string("label")) {
        if (auto problem = images::label_problem(*label))
            reader.fail("label", *problem);
        else
            image.label = *label;
    }
    if (auto description = reader.string("description", {false, 1, 65000, true}))
        image.description = *description;
    if (auto tags = reader.string_list("tags", kTag)) image.tags = *tags;
    reader.finish();
    images::update(ctx.tx(), actor_of(ctx), image);
    return document(ctx, image.id);
}

http::Response remove(http::Context& ctx, const Environment& env) {
    const auto image = private_image_of(ctx);
    if (image.status == "creating")
        throw errors::bad_request("Image is being captured: delete it once it is available");
    images::remove(ctx.tx(), actor_of(ctx), image);
    ctx.after_commit.push_back([files = images::files_of(env.shared, image.id)] {
        std::error_code ignored;
        std::filesystem::remove_all(files, ignored);
    });
    return http::Response::json("{}");
}

http::Response replicate(http::Context& ctx, const Environment& env) {
    auto image = private_image_of(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto regions = reader.string_list("regions");
    if (!body.contains("regions")) reader.fail("regions", "regions is required");
    if (regions) {
        if (regions->empty()) reader.fail("regions", "An image must be kept in a region");
        catalog::CatalogRepository catalog(ctx.tx());
        for (std::size_t i = 0; i < regions->size(); ++i) {
            auto found = catalog.find_region_capabilities((*regions)[i]);
            if (!found || !found->has("Linodes"))
                reader.fail("regions[" + std::to_string(i) + "]", "region is not valid");
        }
    }
    reader.finish();
    if (image.status != "available")
        throw errors::bad_request("Image must be available to be replicated", "regions");
    images::replicate(ctx.tx(), actor_of(ctx), image, *regions);
    ctx.after_commit.push_back(env.wake_workers);
    return document(ctx, image.id);
}

}  // namespace

void register_images(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const auto scope = Requirement::of("images:read_only", Requirement::Kind::open_or_scopes);
    router.add("GET", "/images", "get-images", scope,
               [](http::Context& ctx) { return list(ctx, visible(ctx)); });
    router.add("POST", "/images", "post-image",
               Requirement::of("images:read_write,linodes:read_only"),
               [&env](http::Context& ctx) { return capture(ctx, env); });
    const auto write = Requirement::of("images:read_write");
    router.add("POST", "/images/upload", "post-upload-image", write, begin_upload);
    router.add("GET", "/images/{imageId+}", "get-image", scope,
               [](http::Context& ctx) { return document(ctx, ctx.param("imageId")); });
    router.add("PUT", "/images/{imageId+}", "put-image", write, update);
    router.add("DELETE", "/images/{imageId+}", "delete-image", write,
               [&env](http::Context& ctx) { return remove(ctx, env); });
    router.add("POST", "/images/{imageId+}/regions", "post-replicate-image", write,
               [&env](http::Context& ctx) { return replicate(ctx, env); });
}

}  // namespace linnet::api
