// SQLite connections, statement caching and transactions.
#include "store/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>

namespace linnet::store {

class SqliteConnection {
  public:
    // `statistics_generation`: the database's (SqliteDatabase::refresh_statistics) as the
    // connection opens; it plans with the statistics there are then.
    SqliteConnection(const std::filesystem::path& path, std::int64_t statistics_generation)
        : statistics_generation_(statistics_generation) {
        int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw StoreError("cannot open " + path.string() + ": " + msg);
        }
        sqlite3_busy_timeout(db_, 10000);
        run("PRAGMA journal_mode=WAL");
        // A commit does not flush the log itself: SqliteDatabase flushes it for the commits that
        // wait together (GroupCommit), or, with LINNET_SQLITE_SYNC=normal, leaves it to the
        // checkpoints.
        run("PRAGMA synchronous=NORMAL");
        run("PRAGMA foreign_keys=ON");
        // Pages are read into a larger cache, not mapped: a connection unmaps the whole file at
        // the start of each transaction that follows another connection's commit, and maps it
        // again page by page, which cost more than a third of a create's CPU.
        run("PRAGMA mmap_size=0");
        run("PRAGMA cache_size=-16384");
    }
    ~SqliteConnection() {
        for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
        sqlite3_close(db_);
    }

    void run(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            throw StoreError(std::string(sql) + ": " + msg);
        }
    }

    sqlite3_stmt* prepare(std::string_view sql, const Params& params) {
        auto it = statements_.find(std::string(sql));
        sqlite3_stmt* stmt = nullptr;
        if (it == statements_.end()) {
            if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
                SQLITE_OK)
                throw StoreError(std::string("prepare failed: ") + sqlite3_errmsg(db_) + " in " +
                                 std::string(sql));
            // Filter SQL varies with the filter's shape; keep the cache bounded.
            if (statements_.size() > 512) {
                for (auto& [s, st] : statements_) sqlite3_finalize(st);
                statements_.clear();
            }
            statements_.emplace(std::string(sql), stmt);
        } else {
            stmt = it->second;
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
        }
        for (std::size_t i = 0; i < params.size(); ++i) {
            int idx = static_cast<int>(i + 1);
            const auto& p = params[i];
            if (auto v = std::get_if<std::int64_t>(&p))
                sqlite3_bind_int64(stmt, idx, *v);
            else if (auto d = std::get_if<double>(&p))
                sqlite3_bind_double(stmt, idx, *d);
            else if (auto s = std::get_if<std::string>(&p); s && s->find('\0') != std::string::npos)
                throw InvalidText("text with a NUL character");
            else if (s)
                sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()),
                                  SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(stmt, idx);
        }
        return stmt;
    }

    Rows query(std::string_view sql, const Params& params) {
        sqlite3_stmt* stmt = prepare(sql, params);
        Rows rows;
        int columns = sqlite3_column_count(stmt);
        Row::Columns names;
        for (;;) {
            int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) fail(stmt, sql);
            std::vector<SqlValue> values;
            values.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                switch (sqlite3_column_type(stmt, c)) {
                    case SQLITE_INTEGER:
                        values.emplace_back(
                            static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
                        break;
                    case SQLITE_FLOAT:
                        values.emplace_back(sqlite3_column_double(stmt, c));
                        break;
                    case SQLITE_NULL:
                        values.emplace_back(std::monostate{});
                        break;
                    default: {
                        auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                        values.emplace_back(std::string(
                            text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
                    }
                }
            }
            if (!names) {
                auto list = std::make_shared<std::vector<std::string>>();
                for (int c = 0; c < columns; ++c) list->emplace_back(sqlite3_column_name(stmt, c));
                names = std::move(list);
            }
            rows.emplace_back(names, std::move(values));
        }
        sqlite3_reset(stmt);
        return rows;
    }

    std::int64_t execute(std::string_view sql, const Params& params) {
        sqlite3_stmt* stmt = prepare(sql, params);
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) fail(stmt, sql);
        sqlite3_reset(stmt);
        return sqlite3_changes64(db_);
    }

    // The write-ahead log's file, as SQLite names it (beside the database file that a link or
    // relative path leads to).
    std::filesystem::path log_file() const {
        return sqlite3_filename_wal(sqlite3_db_filename(db_, "main"));
    }

    // Rows inserted, changed or removed since the connection opened.
    std::int64_t changes() const { return sqlite3_total_changes64(db_); }

    [[noreturn]] void fail(sqlite3_stmt* stmt, std::string_view sql) {
        std::string msg = sqlite3_errmsg(db_);
        sqlite3_reset(stmt);
        throw StoreError(msg + " in " + std::string(sql));
    }

    // The statistics it plans with. A connection reads them as it loads the schema, and an
    // ANALYZE reaches only the connection that ran it.
    std::int64_t statistics_generation() const { return statistics_generation_; }

  private:
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> statements_;
    std::int64_t statistics_generation_;
};

namespace {

// By default a commit returns once it is on disk, so it survives a crash of the process or of the
// machine. With LINNET_SQLITE_SYNC=normal it returns at once: it survives a crash or kill of the
// process but may be lost with the machine's power.
bool flushes_commits() {
    const char* sync = std::getenv("LINNET_SQLITE_SYNC");
    return sync == nullptr || std::string_view(sync) != "normal";
}

class SqliteTransaction : public Transaction {
  public:
    SqliteTransaction(SqliteDatabase& owner, std::unique_ptr<SqliteConnection> connection,
                      Access access)
        : owner_(owner), connection_(std::move(connection)) {
        if (access != Access::read) writer_ = std::unique_lock(owner_.writer());
        schema_ = access == Access::schema;
        if (schema_) connection_->run("PRAGMA foreign_keys=OFF");
        connection_->run(access != Access::read ? "BEGIN IMMEDIATE" : "BEGIN");
        changes_at_begin_ = connection_->changes();
    }
    ~SqliteTransaction() override {
        if (!done_) {
            try {
                connection_->run("ROLLBACK");
                if (schema_) connection_->run("PRAGMA foreign_keys=ON");
            } catch (const StoreError&) {
                // The connection is unusable; drop it rather than return it to the pool.
                return;
            }
        }
        owner_.release(std::move(connection_));
    }
    Rows query(std::string_view sql, const Params& params) override {
        return connection_->query(sql, params);
    }
    std::int64_t execute(std::string_view sql, const Params& params) override {
        return connection_->execute(sql, params);
    }
    void commit() override {
        if (schema_ && !connection_->query("PRAGMA foreign_key_check", {}).empty())
            throw StoreError("a schema change left references to missing rows");
        write_versions();
        connection_->run("COMMIT");
        if (schema_) connection_->run("PRAGMA foreign_keys=ON");
        done_ = true;
        if (!writer_.owns_lock()) return;
        // A writer that changed nothing (a worker finding no job) has nothing to wait for.
        GroupCommit* durable = schema_ || connection_->changes() != changes_at_begin_
                                   ? owner_.group_commit()
                                   : nullptr;
        const std::uint64_t ticket = durable ? durable->committed() : 0;
        writer_.unlock();
        if (durable) durable->await(ticket);
    }
    Dialect dialect() const override { return Dialect::sqlite; }

  private:
    SqliteDatabase& owner_;
    std::unique_ptr<SqliteConnection> connection_;
    std::unique_lock<std::mutex> writer_;
    bool schema_ = false;
    bool done_ = false;
    std::int64_t changes_at_begin_ = 0;
};

}  // namespace

SqliteDatabase::SqliteDatabase(std::filesystem::path path) : path_(std::move(path)) {
    auto first = acquire();  // fail early when the file cannot be opened
    if (flushes_commits()) group_commit_ = std::make_unique<GroupCommit>(first->log_file());
    release(std::move(first));
}

SqliteDatabase::~SqliteDatabase() = default;

std::unique_ptr<SqliteConnection> SqliteDatabase::acquire() {
    const std::int64_t generation = statistics_generation_.load();
    std::unique_ptr<SqliteConnection> c;
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            c = std::move(idle_.back());
            idle_.pop_back();
        }
    }
    // One opened before the statistics last changed is replaced by a new connection, which reads
    // them as it opens. (`ANALYZE sqlite_schema` would reload them in place, but it takes the
    // write lock: a read would wait behind whichever transaction writes.)
    if (c && c->statistics_generation() != generation) c.reset();
    if (!c) c = std::make_unique<SqliteConnection>(path_, generation);
    return c;
}

void SqliteDatabase::release(std::unique_ptr<SqliteConnection> connection) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
}

std::unique_ptr<Transaction> SqliteDatabase::begin(Access access) {
    return std::make_unique<SqliteTransaction>(*this, acquire(), access);
}

int SqliteDatabase::refresh_statistics() {
    // Looked at without taking the writers' turn; only measuring writes.
    auto tx = begin(Access::read);
    tx->set_scope(Scope::system());
    const bool measured_before =
        !tx->query("SELECT 1 AS found FROM sqlite_master WHERE name = 'sqlite_stat1'").empty();
    std::vector<std::string> stale;
    for (const auto& table :
         tx->query("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                   "'sqlite_%' ORDER BY name")) {
        const std::string& name = table.text("name");
        if (table.text("sql").find("WITHOUT ROWID") != std::string::npos) continue;
        std::string quoted = "\"";
        for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        quoted += "\"";
        // The largest rowid stands for the row count: reading it is one step down an index.
        const auto rows =
            tx->query("SELECT COALESCE(MAX(rowid), 0) AS n FROM " + quoted).at(0).integer("n");
        auto at = measured_at_.find(name);
        if (at == measured_at_.end()) {
            // Not yet looked at by this process: as sqlite_stat1 has it (its first number is
            // the table's rows), 0 when never measured.
            std::int64_t stat = 0;
            if (measured_before)
                for (const auto& row :
                     tx->query("SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", {name}))
                    stat = std::strtoll(row.text("stat").c_str(), nullptr, 10);
            at = measured_at_.emplace(name, stat).first;
        }
        if (rows > 50 + at->second + at->second / 2) {
            stale.push_back(quoted);
            at->second = rows;
        }
    }
    tx.reset();
    if (stale.empty()) return 0;
    auto write = begin(Access::write);
    write->set_scope(Scope::system());
    // Sampled: a few hundred rows of each index are enough for the planner's choices.
    write->query("PRAGMA analysis_limit = 1000");
    for (const auto& table : stale) write->execute("ANALYZE " + table);
    write->commit();
    write.reset();
    // Each pooled connection is replaced by a new one, which reads them, when next taken.
    ++statistics_generation_;
    return static_cast<int>(stale.size());
}

}  // namespace linnet::store
