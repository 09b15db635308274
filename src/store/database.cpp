// Row accessors and the choice of database from its URL.
#include "store/database.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <functional>
#include <random>
#include <thread>

#include "store/migrations.hpp"
#include "store/postgresql/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "store/values_rows.hpp"

namespace linnet::store {

const SqlValue& Row::at(std::string_view column) const {
    const auto& names = *columns_;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == column) return values_[i];
    throw std::out_of_range("no column " + std::string(column) + " in this row");
}

namespace {

std::int64_t integer_of(const SqlValue& v) {
    if (auto p = std::get_if<std::int64_t>(&v)) return *p;
    if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
    if (auto p = std::get_if<std::string>(&v)) return std::stoll(*p);
    return 0;
}

double real_of(const SqlValue& v) {
    if (auto p = std::get_if<double>(&v)) return *p;
    if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
    if (auto p = std::get_if<std::string>(&v)) return std::stod(*p);
    return 0;
}

const std::string& text_of(const SqlValue& v) {
    static const std::string empty;
    if (auto p = std::get_if<std::string>(&v)) return *p;
    return empty;
}

}  // namespace

std::int64_t Row::integer(std::string_view column) const {
    return integer_of(at(column));
}
double Row::real(std::string_view column) const {
    return real_of(at(column));
}
const std::string& Row::text(std::string_view column) const {
    return text_of(at(column));
}

std::optional<std::string> Row::optional_text(std::string_view column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

std::optional<std::int64_t> Row::optional_integer(std::string_view column) const {
    if (is_null(column)) return std::nullopt;
    return integer(column);
}

namespace {

// The database holds password hashes and, while jobs run, root password hashes: only its owner
// reads it. SQLite gives its -wal and -shm files the database file's mode.
void keep_private(const std::filesystem::path& database) {
    namespace fs = std::filesystem;
    if (!fs::exists(database)) {
        const int fd = ::open(database.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const fs::path file = database.string() + suffix;
        std::error_code ignored;
        if (fs::exists(file, ignored))
            fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write,
                            fs::perm_options::replace, ignored);
    }
}

}  // namespace

std::unique_ptr<Database> open_database(const std::string& url,
                                        const std::filesystem::path& data_dir) {
    std::unique_ptr<Database> db;
    const bool sqlite = url.empty() || url.rfind("sqlite:", 0) == 0;
    const bool postgresql = url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
    if (!sqlite && !postgresql)
        throw StoreError("unknown database URL (expected sqlite:PATH or postgresql://...): " + url);
    if (!data_dir.empty()) {
        // The data folder holds the database, disks and keys: its owner's alone. A shared
        // folder (sticky, such as /tmp) is never narrowed.
        namespace fs = std::filesystem;
        fs::create_directories(data_dir);
        if ((fs::status(data_dir).permissions() & fs::perms::sticky_bit) == fs::perms::none)
            fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace);
    }
    if (url.empty()) {
        keep_private(data_dir / "linnet.db");
        db = std::make_unique<SqliteDatabase>(data_dir / "linnet.db");
    } else if (url.rfind("sqlite:", 0) == 0) {
        keep_private(url.substr(7));
        db = std::make_unique<SqliteDatabase>(url.substr(7));
    } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        db = std::make_unique<PgDatabase>(url);
    } else {
        throw StoreError("unknown database URL (expected sqlite:PATH or postgresql://...): " + url);
    }
    migrate(*db);
    return db;
}

namespace {
constexpr std::string_view kMoveVersion =
    "INSERT INTO list_version_slots (account_id, family, slot, version) VALUES (?, ?, ?, 1) ON "
    "CONFLICT (account_id, family, slot) DO UPDATE SET version = list_version_slots.version + 1";
constexpr std::string_view kAddToCount =
    "INSERT INTO list_counts (account_id, family, count_key, slot, n) VALUES (?, ?, ?, ?, ?) ON "
    "CONFLICT (account_id, family, count_key, slot) DO UPDATE SET n = list_counts.n + "
    "excluded.n";
// Writers that run side by side spread over this many slots; each commit adds one to one slot,
// so the sum grows with every commit that any later snapshot sees.
constexpr std::int64_t kVersionSlots = 16;

std::int64_t version_slot(const Transaction& tx) {
    if (!tx.locks_rows()) return 0;
    thread_local std::minstd_rand draw(
        static_cast<std::uint_fast32_t>(std::hash<std::thread::id>{}(std::this_thread::get_id())));
    return static_cast<std::int64_t>(draw() % kVersionSlots);
}
}  // namespace

void Transaction::write_versions() {
    const auto slot = version_slot(*this);
    // One statement for the counts and one for the versions, whose rows go in the order of
    // their keys, as every writer's do: two commits never wait for each other in opposite
    // orders.
    Params counts;
    for (const auto& [key, delta] : counted_)
        if (delta != 0)
            counts.insert(counts.end(),
                          {std::get<1>(key), std::get<0>(key), std::get<2>(key), slot, delta});
    counted_.clear();
    if (!counts.empty()) write(with_rows(kAddToCount, counts.size() / 5), counts);
    Params versions;
    for (const auto& [family, account] : touched_)
        versions.insert(versions.end(), {account, family, slot});
    touched_.clear();
    if (!versions.empty()) write(with_rows(kMoveVersion, versions.size() / 3), versions);
}

std::int64_t list_count(Transaction& tx, std::string_view family, std::int64_t account_id,
                        const std::string& key) {
    static const std::string sum =
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM list_counts WHERE account_id = ? "
        "AND family = ? AND count_key = ?";
    auto rows = tx.query(sum, {account_id, std::string(family), key});
    return rows.empty() ? 0 : rows.front().integer("n");
}

std::string list_version_column(std::string_view account_column, std::string_view family_column) {
    return "(SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM list_version_slots WHERE "
           "account_id = " +
           std::string(account_column) + " AND family = " +
           (family_column.empty() ? std::string("?") : std::string(family_column)) + ")";
}

std::int64_t list_version(Transaction& tx, std::string_view family, std::int64_t account_id) {
    static const std::string version = "SELECT " + list_version_column("?") + " AS version";
    auto rows = tx.query(version, {account_id, std::string(family)});
    return rows.empty() ? 0 : rows.front().integer("version");
}

std::string locking(const Transaction& tx, std::string_view sql, std::string_view clause) {
    std::string out(sql);
    if (tx.locks_rows()) {
        out += " FOR NO KEY UPDATE";
        out += clause;
    }
    return out;
}

}  // namespace linnet::store
