// Statements on disks.
#include "linodes/disk_repository.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "core/json.hpp"
#include "core/time.hpp"
#include "store/scoped.hpp"
#include "store/values_rows.hpp"

namespace linnet::linodes {

namespace json = boost::json;
using filter::FieldType;

namespace statements {
#define LINNET_DISK_COLUMNS \
    "id, linode_id, label, status, size, filesystem, image, created, updated"
constexpr std::string_view columns = LINNET_DISK_COLUMNS;
constexpr std::string_view find = "SELECT " LINNET_DISK_COLUMNS
                                  " FROM disks WHERE id = ? AND linode_id IN (SELECT id FROM "
                                  "linodes WHERE {{account}})";
constexpr std::string_view find_of = "SELECT " LINNET_DISK_COLUMNS
                                     " FROM disks WHERE id = ? AND linode_id = ? AND EXISTS "
                                     "(SELECT 1 FROM linodes l WHERE l.id = disks.linode_id AND "
                                     "{{account:l.account_id}})";
constexpr std::string_view of_linode =
    "SELECT " LINNET_DISK_COLUMNS " FROM disks WHERE linode_id = ? ORDER BY id";
#undef LINNET_DISK_COLUMNS
constexpr std::string_view total_size =
    "SELECT COALESCE(SUM(size), 0) AS total FROM disks WHERE linode_id = ?";
constexpr std::string_view insert =
    "INSERT INTO disks (linode_id, label, status, size, filesystem, image, created, updated) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view set_label = "UPDATE disks SET label = ?, updated = ? WHERE id = ?";
constexpr std::string_view set_status = "UPDATE disks SET status = ?, updated = ? WHERE id = ?";
constexpr std::string_view set_size = "UPDATE disks SET size = ?, updated = ? WHERE id = ?";
constexpr std::string_view ready_all =
    "UPDATE disks SET status = 'ready', updated = ? WHERE linode_id = ? AND status = 'not ready'";
constexpr std::string_view remove = "DELETE FROM disks WHERE id = ?";
constexpr std::string_view remove_all = "DELETE FROM disks WHERE linode_id = ?";
constexpr std::string_view of_one_linode = "linode_id = ?";
}  // namespace statements

namespace {

const filter::Schema kDisks{{
                                {"id", "id", FieldType::integer},
                                {"label", "label", FieldType::text},
                                {"filesystem", "filesystem", FieldType::text},
                                {"status", "status", FieldType::text},
                                {"size", "size", FieldType::integer},
                            },
                            "id"};

Disk from_row(const store::Row& r) {
    Disk d;
    d.id = r.integer("id");
    d.linode_id = r.integer("linode_id");
    d.label = r.text("label");
    d.status = r.text("status");
    d.size = r.integer("size");
    d.filesystem = r.text("filesystem");
    d.image = r.optional_text("image");
    d.created = r.text("created");
    d.updated = r.text("updated");
    return d;
}

}  // namespace

std::string disk_doc(const Disk& d) {
    return to_json(json::object{{"id", d.id},
                                {"label", d.label},
                                {"status", d.status},
                                {"size", d.size},
                                {"filesystem", d.filesystem},
                                {"created", d.created},
                                {"updated", d.updated},
                                {"disk_encryption", "disabled"}});
}

std::optional<Disk> DiskRepository::find(std::int64_t id) {
    auto rows = store::scoped_query(tx_, statements::find, {id});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

std::optional<Disk> DiskRepository::find_of(std::int64_t linode_id, std::int64_t id) {
    auto rows = store::scoped_query(tx_, statements::find_of, {id, linode_id});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

void DiskRepository::read_ahead_of_linode(std::int64_t linode_id) {
    store::scoped_read_ahead(tx_, statements::of_linode, {linode_id});
}

std::vector<Disk> DiskRepository::of_linode(std::int64_t linode_id) {
    std::vector<Disk> out;
    for (const auto& row : store::scoped_query(tx_, statements::of_linode, {linode_id}))
        out.push_back(from_row(row));
    return out;
}

std::int64_t DiskRepository::total_size(std::int64_t linode_id) {
    return store::scoped_query(tx_, statements::total_size, {linode_id}).at(0).integer("total");
}

std::int64_t DiskRepository::insert(std::int64_t linode_id, const std::string& label,
                                    std::int64_t size, const std::string& filesystem,
                                    const std::optional<std::string>& image,
                                    const std::string& status) {
    Disk disk;
    disk.label = label;
    disk.status = status;
    disk.size = size;
    disk.filesystem = filesystem;
    disk.image = image;
    return insert_all(linode_id, {disk}).at(0);
}

std::vector<std::int64_t> DiskRepository::insert_all(std::int64_t linode_id,
                                                     const std::vector<Disk>& disks) {
    if (disks.empty()) return {};
    const std::string now = now_utc();
    store::Params params;
    for (const auto& d : disks)
        params.insert(params.end(), {linode_id, d.label, d.status, d.size, d.filesystem,
                                     store::or_null(d.image), now, now});
    // Ids are given in the order the rows are inserted, which is theirs; RETURNING has no order.
    std::vector<std::int64_t> ids;
    for (const auto& row : tx_.query(store::with_rows(statements::insert, disks.size()), params))
        ids.push_back(row.integer("id"));
    std::sort(ids.begin(), ids.end());
    return ids;
}

void DiskRepository::set_label(std::int64_t id, const std::string& label) {
    tx_.execute(statements::set_label, {label, now_utc(), id});
}

void DiskRepository::set_status(std::int64_t id, const std::string& status) {
    tx_.write(statements::set_status, {status, now_utc(), id});
}

void DiskRepository::set_size(std::int64_t id, std::int64_t size) {
    tx_.execute(statements::set_size, {size, now_utc(), id});
}

void DiskRepository::ready_all(std::int64_t linode_id) {
    tx_.write(statements::ready_all, {now_utc(), linode_id});
}

void DiskRepository::remove(std::int64_t id) {
    tx_.execute(statements::remove, {id});
}

void DiskRepository::remove_all(std::int64_t linode_id) {
    tx_.execute(statements::remove_all, {linode_id});
}

store::Listing DiskRepository::listing(std::int64_t linode_id) {
    store::Listing l{"disks", kDisks, std::string(statements::of_one_linode), {linode_id}};
    l.columns = std::string(statements::columns);
    l.render = [](const store::Row& row) { return disk_doc(from_row(row)); };
    return l;
}

}  // namespace linnet::linodes
