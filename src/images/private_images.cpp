// The rules of an account's own images.
#include "images/private_images.hpp"

#include <algorithm>

#include "auth/token.hpp"
#include "billing/meter.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "jobs/jobs.hpp"

namespace linnet::images {

namespace json = boost::json;

namespace {

constexpr std::int64_t kUploadSeconds = 24 * 3600;

void record(store::Transaction& tx, const Actor& actor, const std::string& action,
            const PrivateImage& image, const std::string& status = "notification",
            const std::string& message = "") {
    jobs::record_event(tx, {action, image_entity(image), std::nullopt, status, actor.user_id,
                            actor.username, message});
}

PrivateImage new_image(store::Transaction& tx, const Actor& actor, const NewImage& request,
                       const std::string& label) {
    ImageRepository repo(tx);
    PrivateImage image;
    image.number = repo.next_number();
    image.owner_user_id = actor.user_id;
    image.created_by = actor.username;
    image.label = label;
    image.description = request.description;
    image.cloud_init = request.cloud_init;
    image.tags = request.tags;
    std::sort(image.tags.begin(), image.tags.end());
    image.tags.erase(std::unique(image.tags.begin(), image.tags.end()), image.tags.end());
    return image;
}

}  // namespace

std::optional<std::string> label_problem(const std::string& label) {
    if (label.empty() || label.size() > 50) return "Label must be 1-50 characters";
    if (has_control_character(label)) return "Label must not hold control characters";
    return std::nullopt;
}

// Events name an account's image by its number, as Linode's do.
jobs::Entity image_entity(const PrivateImage& image) {
    return {image.number, "image", image.label, "/v4/images/" + image.id};
}

std::filesystem::path files_of(const std::filesystem::path& shared, const std::string& image_id) {
    return shared / "images" / image_id;
}

PrivateImage begin_capture(store::Transaction& tx, const Actor& actor, const NewImage& request,
                           const std::string& disk_label, std::int64_t disk_size,
                           const std::optional<std::string>& source_image) {
    PrivateImage image = new_image(tx, actor, request, request.label.value_or(disk_label));
    image.status = "creating";
    image.size = disk_size;
    image.source_image = source_image;
    ImageRepository(tx).insert_private(image);
    return image;
}

void capture_done(store::Transaction& tx, const std::string& image_id, const std::string& region) {
    ImageRepository repo(tx);
    auto image = repo.find_private(image_id);
    if (!image) return;  // deleted while it was captured
    image->status = "available";
    image->regions = {{region, "available"}};
    repo.save_private(*image);
    billing::meter(tx, *image);
}

void capture_failed(store::Transaction& tx, const std::string& image_id) {
    ImageRepository repo(tx);
    if (auto image = repo.find_private(image_id)) billing::stop(tx, "image", image->number);
    repo.remove_private(image_id);
}

Upload begin_upload(store::Transaction& tx, const Actor& actor, const NewImage& request,
                    const std::string& region) {
    PrivateImage image = new_image(tx, actor, request, request.label.value_or(""));
    image.status = "pending_upload";
    image.size = 0;
    ImageRepository repo(tx);
    repo.insert_private(image);
    const std::string secret = auth::random_hex(24);
    repo.set_upload(image.id, auth::sha256_hex(secret), unix_now() + kUploadSeconds, region);
    return {std::move(image), secret};
}

void upload_done(store::Transaction& tx, PrivateImage& image, const std::string& region,
                 std::int64_t bytes) {
    ImageRepository repo(tx);
    image.status = "available";
    image.size = (bytes + (1 << 20) - 1) >> 20;
    image.regions = {{region, "available"}};
    repo.save_private(image);
    billing::meter(tx, image);
    repo.end_upload(image.id);
    record(tx, {image.owner_user_id, image.created_by}, "image_upload", image, "finished");
}

void upload_failed(store::Transaction& tx, const PrivateImage& image, const std::string& reason) {
    record(tx, {image.owner_user_id, image.created_by}, "image_upload", image, "failed", reason);
}

void update(store::Transaction& tx, const Actor& actor, PrivateImage& image) {
    ImageRepository(tx).save_private(image);
    billing::meter(tx, image);
    record(tx, actor, "image_update", image);
}

void remove(store::Transaction& tx, const Actor& actor, const PrivateImage& image) {
    ImageRepository(tx).remove_private(image.id);
    billing::stop(tx, "image", image.number);
    record(tx, actor, "image_delete", image);
}

void replicate(store::Transaction& tx, const Actor& actor, PrivateImage& image,
               const std::vector<std::string>& regions) {
    std::vector<ImageRegion> kept;
    bool pending = false;
    for (const auto& region : regions) {
        if (std::any_of(kept.begin(), kept.end(),
                        [&](const ImageRegion& r) { return r.region == region; }))
            continue;
        const auto it = std::find_if(image.regions.begin(), image.regions.end(),
                                     [&](const ImageRegion& r) { return r.region == region; });
        if (it != image.regions.end()) {
            kept.push_back(*it);
        } else {
            kept.push_back({region, "pending replication"});
            pending = true;
        }
    }
    image.regions = std::move(kept);
    ImageRepository(tx).save_private(image);
    billing::meter(tx, image);
    record(tx, actor, "image_update", image);
    if (pending) {
        const std::int64_t event_id =
            jobs::record_event(tx, {"image_replicate", image_entity(image), std::nullopt,
                                    "scheduled", actor.user_id, actor.username, ""});
        jobs::enqueue(tx, "image_replicate", std::nullopt, event_id,
                      json::object{{"image_id", image.id}});
    }
}

void replicated(store::Transaction& tx, const std::string& image_id) {
    ImageRepository repo(tx);
    auto image = repo.find_private(image_id);
    if (!image) return;
    for (auto& r : image->regions)
        if (r.status == "pending replication") r.status = "available";
    repo.save_private(*image);
    billing::meter(tx, *image);
}

}  // namespace linnet::images
