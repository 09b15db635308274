// Images: public images to everyone, private images to their owner. Called without a token,
// the list holds public images only, as the spec describes.
#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/error.hpp"
#include "images/image_repository.hpp"

namespace linnet::api {

namespace {

// Public images, plus the caller's own.
store::Listing visible(http::Context& ctx) {
    std::optional<std::int64_t> viewer;
    if (ctx.principal != nullptr) viewer = ctx.principal->user_id;
    return images::ImageRepository(ctx.tx()).visible_to(viewer);
}

// Public images are the catalog's: nobody changes or deletes them (Linode answers that the
// caller is not authorized). No account has private images on this Linnet yet.
http::Response change_refused(http::Context& ctx) {
    one(ctx, visible(ctx), "id", ctx.param("imageId"));  // 404 for an image the caller cannot see
    if (ctx.param("imageId").rfind("linode/", 0) == 0) throw errors::forbidden("Unauthorized");
    throw errors::bad_request("Changing private images is not supported by this Linnet server");
}

}  // namespace

void register_images(http::Router& router) {
    const auto scope =
        auth::Requirement::of("images:read_only", auth::Requirement::Kind::open_or_scopes);
    router.add("GET", "/images", "get-images", scope,
               [](http::Context& ctx) { return list(ctx, visible(ctx)); });
    router.add("GET", "/images/{imageId+}", "get-image", scope, [](http::Context& ctx) {
        return one(ctx, visible(ctx), "id", ctx.param("imageId"));
    });
    const auto write = auth::Requirement::of("images:read_write");
    router.add("PUT", "/images/{imageId+}", "put-image", write, change_refused);
    router.add("DELETE", "/images/{imageId+}", "delete-image", write, change_refused);
}

}  // namespace linnet::api
