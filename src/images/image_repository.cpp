// Statements on the images table.
#include "images/image_repository.hpp"

#include "catalog/document_fields.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "store/scoped.hpp"

#include <algorithm>

namespace linnet::images {

namespace statements {
constexpr std::string_view save_catalog_image =
    "INSERT INTO images (id, sort, label, description, created, created_by, deprecated, "
    "is_public, size, type, vendor, status, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?) ON CONFLICT (id) DO UPDATE SET sort = "
    "excluded.sort, label = excluded.label, description = excluded.description, created = "
    "excluded.created, created_by = excluded.created_by, deprecated = excluded.deprecated, "
    "is_public = excluded.is_public, size = excluded.size, type = excluded.type, vendor = "
    "excluded.vendor, status = excluded.status, doc = excluded.doc WHERE images.built IS NULL";
constexpr std::string_view find_usable =
    "SELECT doc FROM images WHERE id = ? AND (is_public = 1 OR ({{account}} AND status = "
    "'available' AND ";
constexpr std::string_view next_number =
    "INSERT INTO image_numbers (taken) VALUES (?) RETURNING id";
constexpr std::string_view insert_private =
    "INSERT INTO images (id, sort, owner_user_id, label, description, created, created_by, "
    "deprecated, is_public, size, type, vendor, status, doc, account_id, number, updated, "
    "cloud_init, source_image) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, 'manual', NULL, ?, ?, ?, "
    "?, ?, ?, ?)";
constexpr std::string_view private_columns =
    "SELECT id, number, account_id, owner_user_id, label, description, created_by, status, size, "
    "cloud_init, source_image, created, updated FROM images ";
constexpr std::string_view find_private = "WHERE id = ? AND number IS NOT NULL AND {{account}}";
constexpr std::string_view regions_of =
    "SELECT region, status FROM image_regions WHERE image_id = ? ORDER BY position";
constexpr std::string_view tags_of =
    "SELECT tag FROM image_tags WHERE image_id = ? ORDER BY position, tag";
constexpr std::string_view save_private =
    "UPDATE images SET owner_user_id = ?, label = ?, description = ?, status = ?, size = ?, "
    "updated = ?, cloud_init = ?, doc = ? WHERE id = ? AND {{account}}";
constexpr std::string_view clear_regions = "DELETE FROM image_regions WHERE image_id = ?";
constexpr std::string_view add_region =
    "INSERT INTO image_regions (image_id, region, status, position) VALUES (?, ?, ?, ?)";
constexpr std::string_view remove_private =
    "DELETE FROM images WHERE id = ? AND number IS NOT NULL AND {{account}}";
constexpr std::string_view private_names =
    "SELECT number, label FROM images WHERE number IS NOT NULL AND {{account}} ORDER BY number";
constexpr std::string_view set_upload =
    "INSERT INTO image_uploads (image_id, secret_hash, expires, region) VALUES (?, ?, ?, ?)";
constexpr std::string_view find_by_upload =
    "SELECT i.id, i.number, i.account_id, i.owner_user_id, i.label, i.description, "
    "i.created_by, i.status, i.size, i.cloud_init, i.source_image, i.created, i.updated, "
    "u.region AS upload_region FROM images i JOIN image_uploads u ON u.image_id = i.id WHERE "
    "i.number = ? AND i.status = 'pending_upload' AND u.secret_hash = ? AND u.expires > ?";
constexpr std::string_view end_upload = "DELETE FROM image_uploads WHERE image_id = ?";
constexpr std::string_view find = "SELECT id, status, size, built, doc FROM images WHERE id = ?";
constexpr std::string_view mark_creating =
    "UPDATE images SET status = 'creating', built = ?, doc = ? WHERE id = ?";
constexpr std::string_view add_creating =
    "INSERT INTO images (id, sort, label, description, created, created_by, deprecated, "
    "is_public, size, type, vendor, status, doc, built) VALUES (?, 1000, ?, '', ?, 'linode', 0, "
    "1, 0, 'manual', 'Debian', 'creating', ?, ?)";
constexpr std::string_view mark_available =
    "UPDATE images SET status = 'available', size = ?, created = ?, built = ?, doc = ? "
    "WHERE id = ?";
constexpr std::string_view restore =
    "UPDATE images SET status = ?, doc = ?, size = ?, built = ? WHERE id = ?";
constexpr std::string_view remove = "DELETE FROM images WHERE id = ?";
constexpr std::string_view doc_of = "SELECT doc FROM images WHERE id = ?";
constexpr std::string_view clear_tags = "DELETE FROM image_tags WHERE image_id = ?";
constexpr std::string_view add_tag =
    "INSERT INTO image_tags (image_id, tag, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
constexpr std::string_view reassign_owner =
    "UPDATE images SET owner_user_id = ? WHERE owner_user_id = ? AND {{account}}";
}  // namespace statements

namespace {

namespace json = boost::json;
using filter::FieldType;

const filter::Schema kImages{{
                                 {"label", "label", FieldType::text},
                                 {"status", "status", FieldType::text},
                                 {"type", "type", FieldType::text},
                                 {"vendor", "vendor", FieldType::text, true},
                                 {"deprecated", "deprecated", FieldType::boolean},
                                 {"is_public", "is_public", FieldType::boolean},
                                 {"size", "size", FieldType::integer},
                                 {"tags", "tags", FieldType::text_list, false,
                                  filter::Membership{"id", "image_tags", "image_id", "tag"}},
                             },
                             "sort"};

Image from_row(const store::Row& row) {
    return {row.text("id"), row.text("status"), row.integer("size"), row.optional_text("built"),
            row.text("doc")};
}

store::SqlValue optional_value(const std::optional<std::string>& text) {
    if (text) return *text;
    return std::monostate{};
}

// The owner's id, or NULL for an image no user owns.
store::SqlValue owner(const PrivateImage& image) {
    if (image.owner_user_id == 0) return std::monostate{};
    return image.owner_user_id;
}

// Private images list after the catalog's, in the order they were made.
constexpr std::int64_t kPrivateSort = 1'000'000;

// What GET /images/private/N answers: made here only, from the image's fields.
std::string private_document(const PrivateImage& i) {
    json::array tags, regions, capabilities;
    for (const auto& t : i.tags) tags.push_back(json::string(t));
    for (const auto& r : i.regions)
        regions.push_back(json::object{{"region", r.region}, {"status", r.status}});
    if (i.cloud_init) capabilities.push_back("cloud-init");
    return to_json(json::object{
        {"id", i.id},
        {"label", i.label},
        {"description", i.description},
        {"created", i.created},
        {"updated", i.updated},
        {"size", i.size},
        // Kept once in each region.
        {"total_size",
         i.size * std::max<std::int64_t>(1, static_cast<std::int64_t>(i.regions.size()))},
        {"created_by", i.created_by},
        {"type", "manual"},
        {"tags", std::move(tags)},
        {"is_public", false},
        {"deprecated", false},
        {"vendor", nullptr},
        {"expiry", nullptr},
        {"eol", nullptr},
        {"status", i.status},
        {"capabilities", std::move(capabilities)},
        {"regions", std::move(regions)},
    });
}

void write_members(store::Transaction& tx, const PrivateImage& image) {
    std::int64_t position = 0;
    for (const auto& r : image.regions)
        tx.write(statements::add_region, {image.id, r.region, r.status, position++});
    position = 0;
    for (const auto& tag : image.tags) tx.write(statements::add_tag, {image.id, tag, position++});
}

PrivateImage read_private(store::Transaction& tx, const store::Row& r) {
    PrivateImage i;
    i.id = r.text("id");
    i.number = r.integer("number");
    i.account_id = r.integer("account_id");
    i.owner_user_id = r.optional_integer("owner_user_id").value_or(0);
    i.label = r.text("label");
    i.description = r.optional_text("description").value_or("");
    i.created_by = r.optional_text("created_by").value_or("");
    i.status = r.text("status");
    i.size = r.integer("size");
    i.cloud_init = r.boolean("cloud_init");
    i.source_image = r.optional_text("source_image");
    i.created = r.text("created");
    i.updated = r.optional_text("updated").value_or(i.created);
    for (const auto& row : tx.query(statements::regions_of, {i.id}))
        i.regions.push_back({row.text("region"), row.text("status")});
    for (const auto& row : tx.query(statements::tags_of, {i.id})) i.tags.push_back(row.text("tag"));
    return i;
}

}  // namespace

void ImageRepository::save_catalog_image(const json::object& i, std::int64_t sort) {
    using namespace catalog::fields;
    tx_.execute(
        statements::save_catalog_image,
        {str(i, "id"), sort, str(i, "label"), opt_str(i, "description"), str(i, "created"),
         opt_str(i, "created_by"), flag(i, "deprecated"), flag(i, "is_public"), num(i, "size"),
         str(i, "type"), opt_str(i, "vendor"), str(i, "status"), to_json(i)});
    // An image this host built keeps its own document (the upsert leaves it): its tags too.
    sync_tags(str(i, "id"));
}

void ImageRepository::sync_tags(const std::string& id) {
    auto rows = tx_.query(statements::doc_of, {id});
    if (rows.empty()) return;
    tx_.execute(statements::clear_tags, {id});
    const auto doc = json::parse(rows.front().text("doc"));
    const auto* tags = doc.as_object().if_contains("tags");
    if (tags == nullptr || !tags->is_array()) return;
    std::int64_t position = 0;
    for (const auto& tag : tags->as_array())
        if (tag.is_string())
            tx_.execute(statements::add_tag, {id, std::string(tag.as_string()), position++});
}

store::Listing ImageRepository::visible_to(const std::pair<std::string, store::Params>& visible) {
    return {"images", kImages, "is_public = 1 OR ({{account}} AND (" + visible.first + "))",
            visible.second};
}

namespace {

std::pair<std::string, store::Params> usable_read(
    const std::string& id, const std::pair<std::string, store::Params>& visible) {
    store::Params params{id};
    params.insert(params.end(), visible.second.begin(), visible.second.end());
    return {std::string(statements::find_usable) + "(" + visible.first + ")))", params};
}

}  // namespace

void ImageRepository::read_ahead_usable(const std::string& id,
                                        const std::pair<std::string, store::Params>& visible) {
    auto [sql, params] = usable_read(id, visible);
    store::scoped_read_ahead(tx_, sql, std::move(params));
}

std::optional<json::object> ImageRepository::find_usable(
    const std::string& id, const std::pair<std::string, store::Params>& visible) {
    auto [sql, params] = usable_read(id, visible);
    auto rows = store::scoped_query(tx_, sql, std::move(params));
    if (rows.empty()) return std::nullopt;
    return json::parse(rows.front().text("doc")).as_object();
}

std::int64_t ImageRepository::next_number() {
    return tx_.query(statements::next_number, {now_utc()}).at(0).integer("id");
}

void ImageRepository::insert_private(PrivateImage& image) {
    image.id = "private/" + std::to_string(image.number);
    image.account_id = tx_.scope().account_id();
    image.created = image.updated = now_utc();
    tx_.execute(statements::insert_private,
                {image.id, kPrivateSort + image.number, owner(image), image.label,
                 image.description, image.created, image.created_by, image.size, image.status,
                 private_document(image), image.account_id, image.number, image.updated,
                 std::int64_t{image.cloud_init ? 1 : 0}, optional_value(image.source_image)});
    write_members(tx_, image);
}

std::optional<PrivateImage> ImageRepository::find_private(const std::string& id) {
    auto rows = store::scoped_query(
        tx_,
        store::locking(
            tx_, std::string(statements::private_columns) + std::string(statements::find_private),
            " OF images"),
        {id});
    if (rows.empty()) return std::nullopt;
    return read_private(tx_, rows.front());
}

void ImageRepository::save_private(PrivateImage& image) {
    image.updated = now_utc();
    store::scoped_execute(
        tx_, statements::save_private,
        {owner(image), image.label, image.description, image.status, image.size, image.updated,
         std::int64_t{image.cloud_init ? 1 : 0}, private_document(image), image.id});
    tx_.write(statements::clear_regions, {image.id});
    tx_.write(statements::clear_tags, {image.id});
    write_members(tx_, image);
}

void ImageRepository::remove_private(const std::string& id) {
    store::scoped_execute(tx_, statements::remove_private, {id});
}

std::vector<std::pair<std::int64_t, std::string>> ImageRepository::private_names() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& row : store::scoped_query(tx_, statements::private_names))
        out.emplace_back(row.integer("number"), row.text("label"));
    return out;
}

void ImageRepository::set_upload(const std::string& id, const std::string& secret_hash,
                                 std::int64_t expires, const std::string& region) {
    tx_.execute(statements::set_upload, {id, secret_hash, expires, region});
}

std::optional<std::pair<PrivateImage, std::string>> ImageRepository::find_by_upload(
    std::int64_t number, const std::string& secret_hash, std::int64_t now) {
    // Locked where engines lock rows: two uploads with one secret do not both land.
    auto rows = tx_.query(store::locking(tx_, statements::find_by_upload, " OF i"),
                          {number, secret_hash, now});
    if (rows.empty()) return std::nullopt;
    return std::make_pair(read_private(tx_, rows.front()), rows.front().text("upload_region"));
}

void ImageRepository::end_upload(const std::string& id) {
    tx_.execute(statements::end_upload, {id});
}

std::optional<Image> ImageRepository::find(const std::string& id) {
    auto rows = tx_.query(statements::find, {id});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

void ImageRepository::mark_creating(const std::string& id, const std::string& built,
                                    const std::string& doc) {
    tx_.execute(statements::mark_creating, {built, doc, id});
    sync_tags(id);
}

void ImageRepository::add_creating(const std::string& id, const std::string& label,
                                   const std::string& created, const std::string& doc) {
    tx_.execute(statements::add_creating, {id, label, created, doc, created});
    sync_tags(id);
}

void ImageRepository::mark_available(const std::string& id, std::int64_t size_mb,
                                     const std::string& now, const std::string& doc) {
    tx_.execute(statements::mark_available, {size_mb, now, now, doc, id});
    sync_tags(id);
}

void ImageRepository::restore(const Image& image) {
    tx_.execute(statements::restore,
                {image.status, image.doc, image.size, optional_value(image.built), image.id});
    sync_tags(image.id);
}

void ImageRepository::remove(const std::string& id) {
    tx_.execute(statements::remove, {id});
}

void ImageRepository::reassign_owner(std::int64_t from_user, std::int64_t to_user) {
    store::scoped_execute(tx_, statements::reassign_owner, {to_user, from_user});
}

}  // namespace linnet::images
