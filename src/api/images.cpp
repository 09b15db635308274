// Images: public images to everyone, private images to their owner. Called without a token,
// the list holds public images only, as the spec describes.
#include "api/list.hpp"
#include "api/routes.hpp"
#include "images/image_repository.hpp"

namespace linnet::api {

namespace {

// Public images, plus the caller's own.
store::Listing visible(http::Context& ctx) {
    std::optional<std::int64_t> viewer;
    if (ctx.principal != nullptr) viewer = ctx.principal->user_id;
    return images::ImageRepository(ctx.tx()).visible_to(viewer);
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
}

}  // namespace linnet::api
