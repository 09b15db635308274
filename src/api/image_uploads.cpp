// The upload URL of an image (outside /v4, like Linode's, which points at object storage): the
// PUT of a gzip-compressed raw disk, opened by the secret in the URL rather than a token. The
// server has streamed the body to a file; it is unpacked into the image's disk, and the image
// becomes available, or stays pending_upload with a failed image_upload event saying why.
#include <boost/json.hpp>
#include <filesystem>

#include "api/routes.hpp"
#include "auth/token.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "images/image_file.hpp"
#include "images/image_repository.hpp"
#include "images/private_images.hpp"

namespace linnet::api {

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::int64_t number_param(http::Context& ctx) {
    const std::string& text = ctx.param("imageNumber");
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        throw errors::not_found();
    return std::stoll(text);
}

ApiError refused() {
    return errors::forbidden("This upload URL is not valid, has expired or was used");
}

// Whether the secret opens the pending image, in a short read of its own.
bool pending(store::Database& db, std::int64_t number, const std::string& secret) {
    auto tx = db.begin_in(store::Access::read, store::Scope::system());
    return images::ImageRepository(*tx)
        .find_by_upload(number, auth::sha256_hex(secret), unix_now())
        .has_value();
}

http::Response receive(http::Context& ctx, const Environment& env, store::Database& db) {
    const std::int64_t number = number_param(ctx);
    const auto secret = ctx.query_param("secret");
    if (!secret) throw refused();
    const std::string hash = auth::sha256_hex(*secret);
    // Checked before the unpacking, which holds no transaction open (the server checked it
    // before taking the body, too); checked again, locked, before the image changes.
    if (!pending(db, number, std::string(*secret))) throw refused();
    if (ctx.request.body_file.empty())
        throw errors::bad_request("The upload carries no image: PUT the .img.gz as the body");
    const std::string id = "private/" + std::to_string(number);
    const fs::path dir = images::files_of(env.shared, id);
    fs::create_directories(dir);
    const fs::path tmp = dir / ("rootfs.raw." + auth::random_hex(6) + ".tmp");
    std::int64_t bytes = 0;
    std::string problem;
    try {
        bytes = images::unpack_gzip(ctx.request.body_file, tmp, env.image_upload_max_mb << 20);
        if (!images::is_ext_filesystem(tmp))
            problem =
                "The image is not an ext3 or ext4 filesystem: Linnet deploys raw ext filesystems "
                "(a disk captured from a Linode, or a file made with mkfs.ext4)";
    } catch (const images::ImageFileError& e) {
        problem = e.what();
    }
    auto pending = images::ImageRepository(ctx.tx()).find_by_upload(number, hash, unix_now());
    if (!pending || !problem.empty()) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
    }
    if (!pending) throw refused();
    if (!problem.empty()) {
        images::upload_failed(ctx.tx(), pending->first, problem);
        return http::Response::json(
            to_json(json::object{
                {"errors", json::array{json::object{{"reason", problem}, {"field", nullptr}}}}}),
            400);
    }
    fs::rename(tmp, dir / "rootfs.raw");
    images::upload_done(ctx.tx(), pending->first, pending->second, bytes);
    return http::Response::json("{}");
}

}  // namespace

bool upload_accepted(store::Database& db, std::string_view target) {
    const auto split = http::split_target(target);
    const std::string_view path = split.path;
    if (!path.starts_with(kImageUploadPath)) return false;
    const std::string digits(path.substr(std::string_view(kImageUploadPath).size()));
    const auto secret = split.query.find("secret");
    if (digits.empty() || digits.size() > 18 ||
        digits.find_first_not_of("0123456789") != std::string::npos || secret == split.query.end())
        return false;
    try {
        return pending(db, std::stoll(digits), secret->second);
    } catch (const std::exception&) {
        return false;
    }
}

void register_image_uploads(http::Router& router, const Environment& env, store::Database& db) {
    router.add("PUT", kImageUploadPath + std::string("{imageNumber}"), "put-image-upload",
               auth::Requirement::open(),
               [&env, &db](http::Context& ctx) { return receive(ctx, env, db); });
}

}  // namespace linnet::api
