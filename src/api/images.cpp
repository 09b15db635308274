// Images: public images to everyone, private images to their owner. Called without a token,
// the list holds public images only, as the spec describes.
#include "api/list.hpp"
#include "api/routes.hpp"

namespace linnet::api {

namespace {

using filter::FieldType;

const filter::Schema kImages{{
                                 {"label", "label", FieldType::text},
                                 {"status", "status", FieldType::text},
                                 {"type", "type", FieldType::text},
                                 {"vendor", "vendor", FieldType::text, true},
                                 {"deprecated", "deprecated", FieldType::boolean},
                                 {"is_public", "is_public", FieldType::boolean},
                                 {"size", "size", FieldType::integer},
                                 {"tags", "tags", FieldType::text_list},
                             },
                             "sort"};

// Public images, plus the caller's own.
std::pair<std::string, store::Params> visible(const http::Context& ctx) {
    if (ctx.principal == nullptr) return {"is_public = 1", {}};
    return {"is_public = 1 OR owner_user_id = ?", {ctx.principal->user_id}};
}

}  // namespace

void register_images(http::Router& router) {
    const auto scope =
        auth::Requirement::of("images:read_only", auth::Requirement::Kind::open_or_scopes);
    router.add("GET", "/images", "get-images", scope, [](http::Context& ctx) {
        auto [where, params] = visible(ctx);
        return list(ctx, {"images", kImages, where, params});
    });
    router.add("GET", "/images/{imageId+}", "get-image", scope, [](http::Context& ctx) {
        auto [where, params] = visible(ctx);
        return http::Response::json(
            find_doc(ctx.tx(), "images", "id", ctx.param("imageId"), where, params));
    });
}

}  // namespace linnet::api
