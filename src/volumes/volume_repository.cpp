// Statements on volumes and volume_tags, and a volume's document.
#include "volumes/volume_repository.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "core/time.hpp"
#include "store/scoped.hpp"

namespace linnet::volumes {

namespace json = boost::json;

namespace statements {
constexpr std::string_view columns =
    "id, account_id, label, region, size, status, linode_id, (SELECT l.label FROM linodes l WHERE "
    "l.id = volumes.linode_id) AS linode_label, encryption, hardware_type, created, updated";
constexpr std::string_view insert =
    "INSERT INTO volumes (account_id, label, region, size, status, linode_id, encryption, "
    "hardware_type, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
const std::string find_in_account =
    "SELECT " + std::string(columns) + " FROM volumes WHERE id = ? AND {{account}}";
constexpr std::string_view tags_of =
    "SELECT tag FROM volume_tags WHERE volume_id = ? ORDER BY position, tag";
constexpr std::string_view save =
    "UPDATE volumes SET label = ?, size = ?, status = ?, linode_id = ?, updated = ? WHERE id = ? "
    "AND {{account}}";
constexpr std::string_view clear_tags = "DELETE FROM volume_tags WHERE volume_id = ?";
constexpr std::string_view add_tag =
    "INSERT INTO volume_tags (volume_id, tag, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
constexpr std::string_view remove = "DELETE FROM volumes WHERE id = ? AND {{account}}";
constexpr std::string_view label_taken =
    "SELECT 1 AS found FROM volumes WHERE label = ? AND id <> ? AND {{account}}";
constexpr std::string_view count_attached =
    "SELECT COUNT(*) AS n FROM volumes WHERE linode_id = ? AND {{account}}";
constexpr std::string_view names = "SELECT id, label FROM volumes WHERE {{account}} ORDER BY id";
constexpr std::string_view tagged_with =
    "SELECT id FROM volumes WHERE id IN (SELECT volume_id FROM volume_tags WHERE tag = ?) AND "
    "{{account}} ORDER BY id";
constexpr std::string_view of_linode = "linode_id = ? AND ";
constexpr std::string_view tagged = "id IN (SELECT volume_id FROM volume_tags WHERE tag = ?) AND ";
}  // namespace statements

namespace {

using filter::FieldType;

// The fields the spec marks filterable: label and tags.
const filter::Schema kVolumes{{
                                  {"label", "label", FieldType::text},
                                  {"tags", "tags", FieldType::text_list, false,
                                   filter::Membership{"id", "volume_tags", "volume_id", "tag"}},
                              },
                              "id"};

Volume from_row(const store::Row& r) {
    Volume v;
    v.id = r.integer("id");
    v.account_id = r.integer("account_id");
    v.label = r.text("label");
    v.region = r.text("region");
    v.size = r.integer("size");
    v.status = r.text("status");
    v.linode_id = r.optional_integer("linode_id");
    v.linode_label = r.optional_text("linode_label");
    v.encryption = r.text("encryption");
    v.hardware_type = r.text("hardware_type");
    v.created = r.text("created");
    v.updated = r.text("updated");
    return v;
}

store::Listing make_listing(std::string visible, store::Params params) {
    store::Listing l{"volumes", kVolumes, "{{account}} AND (" + visible + ")", std::move(params)};
    l.columns = std::string(statements::columns);
    l.members = store::Listing::Members{"volume_tags", "volume_id", "tag", "position, tag"};
    l.render_with_members = [](const store::Row& r, const std::vector<std::string>& tags) {
        Volume v = from_row(r);
        v.tags = tags;
        return render(v);
    };
    return l;
}

}  // namespace

std::int64_t VolumeRepository::insert(const Volume& v) {
    const auto now = now_utc();
    const std::int64_t id =
        tx_.query(statements::insert,
                  {tx_.scope().account_id(), v.label, v.region, v.size, v.status,
                   store::or_null(v.linode_id), v.encryption, v.hardware_type, now, now})
            .at(0)
            .integer("id");
    std::int64_t position = 0;
    for (const auto& tag : v.tags) tx_.write(statements::add_tag, {id, tag, position++});
    return id;
}

std::optional<Volume> VolumeRepository::find(std::int64_t id) {
    return read(store::locking(tx_, statements::find_in_account, " OF volumes"), id);
}

std::optional<Volume> VolumeRepository::find_unlocked(std::int64_t id) {
    return read(std::string(statements::find_in_account), id);
}

std::optional<Volume> VolumeRepository::read(const std::string& sql, std::int64_t id) {
    auto rows = store::scoped_query(tx_, sql, {id});
    if (rows.empty()) return std::nullopt;
    Volume v = from_row(rows.front());
    for (const auto& row : tx_.query(statements::tags_of, {id})) v.tags.push_back(row.text("tag"));
    v.stored_tags = v.tags;
    return v;
}

void VolumeRepository::save(Volume& v) {
    v.updated = now_utc();
    store::scoped_write(tx_, statements::save,
                        {v.label, v.size, v.status, store::or_null(v.linode_id), v.updated, v.id});
    if (v.tags == v.stored_tags) return;
    tx_.write(statements::clear_tags, {v.id});
    std::int64_t position = 0;
    for (const auto& tag : v.tags) tx_.write(statements::add_tag, {v.id, tag, position++});
    v.stored_tags = v.tags;
}

void VolumeRepository::remove(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id});
}

bool VolumeRepository::label_taken(const std::string& label, std::int64_t except_id) {
    return !store::scoped_query(tx_, statements::label_taken, {label, except_id}).empty();
}

std::int64_t VolumeRepository::count_attached(std::int64_t linode_id) {
    return store::scoped_query(tx_, statements::count_attached, {linode_id}).at(0).integer("n");
}

std::vector<Volume> VolumeRepository::tagged_with(const std::string& tag) {
    std::vector<Volume> out;
    for (const auto& row : store::scoped_query(tx_, statements::tagged_with, {tag}))
        if (auto v = find(row.integer("id"))) out.push_back(std::move(*v));
    return out;
}

std::vector<std::pair<std::int64_t, std::string>> VolumeRepository::names() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& row : store::scoped_query(tx_, statements::names))
        out.emplace_back(row.integer("id"), row.text("label"));
    return out;
}

store::Listing VolumeRepository::listing(const std::pair<std::string, store::Params>& visible) {
    return make_listing(visible.first, visible.second);
}

store::Listing VolumeRepository::of_linode(std::int64_t linode_id,
                                           const std::pair<std::string, store::Params>& visible) {
    store::Params params{linode_id};
    params.insert(params.end(), visible.second.begin(), visible.second.end());
    return make_listing(std::string(statements::of_linode) + "(" + visible.first + ")",
                        std::move(params));
}

store::Listing VolumeRepository::tagged(const std::string& tag,
                                        const std::pair<std::string, store::Params>& visible) {
    store::Params params{tag};
    params.insert(params.end(), visible.second.begin(), visible.second.end());
    return make_listing(std::string(statements::tagged) + "(" + visible.first + ")",
                        std::move(params));
}

std::string render(const Volume& v) {
    json::array tags;
    for (const auto& t : v.tags) tags.push_back(json::string(t));
    const bool attached = v.linode_id.has_value();
    return to_json(json::object{
        {"id", v.id},
        {"label", v.label},
        {"status", v.status},
        {"size", v.size},
        {"region", v.region},
        {"linode_id", attached ? json::value(*v.linode_id) : json::value(nullptr)},
        {"linode_label",
         v.linode_label ? json::value(json::string(*v.linode_label)) : json::value(nullptr)},
        {"filesystem_path", "/dev/disk/by-id/scsi-0Linode_Volume_" + v.label},
        {"hardware_type", v.hardware_type},
        {"encryption", v.encryption},
        {"io_ready", attached && v.status == "active"},
        {"tags", std::move(tags)},
        {"locks", json::array{}},
        {"created", v.created},
        {"updated", v.updated},
    });
}

}  // namespace linnet::volumes
