// Statements on backups, backup_disks, backup_configs and backup_enrollments.
#include "backups/backup_repository.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "core/time.hpp"
#include "store/scoped.hpp"

namespace linnet::backups {

namespace json = boost::json;

namespace statements {
constexpr std::string_view columns =
    "SELECT id, account_id, linode_id, region, type, status, label, created, updated, finished "
    "FROM backups ";
constexpr std::string_view insert =
    "INSERT INTO backups (account_id, linode_id, region, type, status, label, created, updated, "
    "finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL) RETURNING id";
constexpr std::string_view add_disk =
    "INSERT INTO backup_disks (backup_id, position, disk_id, label, size, filesystem, image) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view add_config =
    "INSERT INTO backup_configs (backup_id, position, label, doc) VALUES (?, ?, ?, ?)";
constexpr std::string_view find = "WHERE id = ? AND {{account}}";
constexpr std::string_view of_linode = "WHERE linode_id = ? AND {{account}} ORDER BY id DESC";
constexpr std::string_view disks_of =
    "SELECT disk_id, label, size, filesystem, image FROM backup_disks WHERE backup_id = ? ORDER "
    "BY position";
constexpr std::string_view configs_of =
    "SELECT label, doc FROM backup_configs WHERE backup_id = ? ORDER BY position";
constexpr std::string_view set_status =
    "UPDATE backups SET status = ?, updated = ?, finished = ? WHERE id = ? AND {{account}}";
constexpr std::string_view remove = "DELETE FROM backups WHERE id = ? AND {{account}}";
constexpr std::string_view remove_all = "DELETE FROM backups WHERE linode_id = ? AND {{account}}";
constexpr std::string_view enroll =
    "INSERT INTO backup_enrollments (linode_id, account_id, due_unix) VALUES (?, ?, ?) ON "
    "CONFLICT (linode_id) DO UPDATE SET due_unix = excluded.due_unix";
constexpr std::string_view withdraw = "DELETE FROM backup_enrollments WHERE linode_id = ?";
constexpr std::string_view next_due = "SELECT due_unix FROM backup_enrollments WHERE linode_id = ?";
constexpr std::string_view due =
    "SELECT linode_id, account_id FROM backup_enrollments WHERE due_unix <= ? ORDER BY due_unix "
    "LIMIT ?";
constexpr std::string_view move_backups = "UPDATE backups SET account_id = ? WHERE linode_id = ?";
constexpr std::string_view move_enrollment =
    "UPDATE backup_enrollments SET account_id = ? WHERE linode_id = ?";
}  // namespace statements

Backup BackupRepository::read(const store::Row& r) {
    Backup b;
    b.id = r.integer("id");
    b.account_id = r.integer("account_id");
    b.linode_id = r.integer("linode_id");
    b.region = r.text("region");
    b.type = r.text("type");
    b.status = r.text("status");
    b.label = r.optional_text("label");
    b.created = r.text("created");
    b.updated = r.text("updated");
    b.finished = r.optional_text("finished");
    for (const auto& row : tx_.query(statements::disks_of, {b.id}))
        b.disks.push_back({row.integer("disk_id"), row.text("label"), row.integer("size"),
                           row.text("filesystem"), row.optional_text("image")});
    for (const auto& row : tx_.query(statements::configs_of, {b.id}))
        b.configs.push_back({row.text("label"), row.text("doc")});
    return b;
}

std::int64_t BackupRepository::insert(const Backup& b, std::int64_t account_id) {
    const auto now = now_utc();
    const std::int64_t id =
        tx_.query(statements::insert, {account_id, b.linode_id, b.region, b.type, b.status,
                                       store::or_null(b.label), now, now})
            .at(0)
            .integer("id");
    std::int64_t position = 0;
    for (const auto& d : b.disks)
        tx_.write(statements::add_disk, {id, position++, d.disk_id, d.label, d.size, d.filesystem,
                                         store::or_null(d.image)});
    position = 0;
    for (const auto& c : b.configs)
        tx_.write(statements::add_config, {id, position++, c.label, c.doc});
    return id;
}

std::optional<Backup> BackupRepository::find(std::int64_t id) {
    auto rows = store::scoped_query(
        tx_, std::string(statements::columns) + std::string(statements::find), {id});
    if (rows.empty()) return std::nullopt;
    return read(rows.front());
}

std::vector<Backup> BackupRepository::of_linode(std::int64_t linode_id) {
    std::vector<Backup> out;
    for (const auto& row : store::scoped_query(
             tx_, std::string(statements::columns) + std::string(statements::of_linode),
             {linode_id}))
        out.push_back(read(row));
    return out;
}

void BackupRepository::set_status(std::int64_t id, const std::string& status, bool finished) {
    const auto now = now_utc();
    store::scoped_write(tx_, statements::set_status,
                        {status, now, finished ? store::SqlValue(now) : store::SqlValue(), id});
}

void BackupRepository::remove(std::int64_t id) {
    store::scoped_write(tx_, statements::remove, {id});
}

void BackupRepository::remove_all(std::int64_t linode_id) {
    store::scoped_write(tx_, statements::remove_all, {linode_id});
}

void BackupRepository::enroll(std::int64_t linode_id, std::int64_t account_id,
                              std::int64_t due_unix) {
    tx_.write(statements::enroll, {linode_id, account_id, due_unix});
}

void BackupRepository::withdraw(std::int64_t linode_id) {
    tx_.write(statements::withdraw, {linode_id});
}

std::optional<std::int64_t> BackupRepository::next_due(std::int64_t linode_id) {
    auto rows = tx_.query(statements::next_due, {linode_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().integer("due_unix");
}

std::vector<std::pair<std::int64_t, std::int64_t>> BackupRepository::due(std::int64_t now_unix,
                                                                         std::int64_t limit) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (const auto& row : tx_.query(statements::due, {now_unix, limit}))
        out.emplace_back(row.integer("linode_id"), row.integer("account_id"));
    return out;
}

std::string render(const Backup& b) {
    json::array disks, configs;
    for (const auto& d : b.disks)
        disks.push_back(
            json::object{{"label", d.label}, {"size", d.size}, {"filesystem", d.filesystem}});
    for (const auto& c : b.configs) configs.push_back(json::string(c.label));
    const bool done = b.status == "successful";
    return to_json(json::object{
        {"id", b.id},
        {"region", b.region},
        {"type", b.type},
        {"status", b.status},
        {"available", b.status != "failed"},
        {"created", b.created},
        {"updated", b.updated},
        {"finished", b.finished ? json::value(json::string(*b.finished)) : json::value(nullptr)},
        {"label", b.label ? json::value(json::string(*b.label)) : json::value(nullptr)},
        {"configs", done ? std::move(configs) : json::array{}},
        {"disks", done ? std::move(disks) : json::array{}},
    });
}

void BackupRepository::move_linode(std::int64_t linode_id, std::int64_t account_id) {
    tx_.execute(statements::move_backups, {account_id, linode_id});
    tx_.execute(statements::move_enrollment, {account_id, linode_id});
}

}  // namespace linnet::backups
