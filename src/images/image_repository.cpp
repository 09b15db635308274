// Statements on the images table.
#include "images/image_repository.hpp"

#include "catalog/document_fields.hpp"
#include "core/json.hpp"
#include "store/scoped.hpp"

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
constexpr std::string_view visible_public = "is_public = 1";
constexpr std::string_view visible_public_or_own =
    "is_public = 1 OR (owner_user_id = ? AND {{account}})";
constexpr std::string_view find_usable =
    "SELECT doc FROM images WHERE id = ? AND (is_public = 1 OR (owner_user_id = ? AND "
    "{{account}}))";
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

}  // namespace

void ImageRepository::save_catalog_image(const json::object& i, std::int64_t sort) {
    using namespace catalog::fields;
    tx_.execute(statements::save_catalog_image,
                {str(i, "id"), sort, str(i, "label"), opt_str(i, "description"), str(i, "created"),
                 opt_str(i, "created_by"), flag(i, "deprecated"), flag(i, "is_public"),
                 num(i, "size"), str(i, "type"), opt_str(i, "vendor"), str(i, "status"),
                 to_json(i)});
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

store::Listing ImageRepository::visible_to(std::optional<std::int64_t> viewer) {
    if (!viewer) return {"images", kImages, std::string(statements::visible_public)};
    return {"images", kImages, std::string(statements::visible_public_or_own), {*viewer}};
}

std::optional<json::object> ImageRepository::find_usable(const std::string& id,
                                                         std::int64_t user_id) {
    auto rows = store::scoped_query(tx_, statements::find_usable, {id, user_id});
    if (rows.empty()) return std::nullopt;
    return json::parse(rows.front().text("doc")).as_object();
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
