// libpq connections, prepared statements and transactions.
#include "store/postgresql/pg_database.hpp"

#include <libpq-fe.h>

#include <poll.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <thread>
#include <unordered_map>

namespace linnet::store {

namespace {

// Type oids of the results Linnet reads (pg_type.h).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

SqlValue value_of(const PGresult* res, int row, int col) {
    if (PQgetisnull(res, row, col)) return std::monostate{};
    const char* text = PQgetvalue(res, row, col);
    const auto size = static_cast<std::size_t>(PQgetlength(res, row, col));
    switch (PQftype(res, col)) {
        case kBool:
            return std::int64_t{text[0] == 't' ? 1 : 0};
        case kInt2:
        case kInt4:
        case kInt8:
        case kOid: {
            std::int64_t v = 0;
            std::from_chars(text, text + size, v);
            return v;
        }
        case kNumeric: {
            const std::string_view s(text, size);
            if (s.find_first_of(".eE") == std::string_view::npos) {
                std::int64_t v = 0;
                auto [end, ec] = std::from_chars(text, text + size, v);
                if (ec == std::errc() && end == text + size) return v;
            }
            return std::strtod(std::string(s).c_str(), nullptr);
        }
        case kFloat4:
        case kFloat8:
            return std::strtod(text, nullptr);
        default:
            return std::string(text, size);
    }
}

}  // namespace

std::string numbered_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    bool quoted = false;
    for (char c : sql) {
        if (c == '\'') quoted = !quoted;
        if (c == '?' && !quoted) {
            out += '$';
            out += std::to_string(++n);
        } else {
            out += c;
        }
    }
    return out;
}

namespace {

// A channel's name as an identifier: letters, digits and underscores only.
std::string channel_name(std::string_view channel) {
    std::string out;
    for (char c : channel)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') out += c;
    return out.empty() ? "linnet" : out;
}

}  // namespace

class PgConnection {
  public:
    explicit PgConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
        if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
            std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
            PQfinish(conn_);
            conn_ = nullptr;
            throw StoreUnavailable("cannot connect to PostgreSQL: " + trimmed(msg));
        }
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);
        run("SET client_min_messages = warning");
    }
    ~PgConnection() { PQfinish(conn_); }

    bool healthy() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

    void run(const char* sql) {
        PGresult* res = PQexec(conn_, sql);
        const auto status = PQresultStatus(res);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            std::string msg = PQresultErrorMessage(res);
            const std::string state = state_of(res);
            PQclear(res);
            fail(std::string(sql), msg, state);
        }
        PQclear(res);
    }

    Rows query(std::string_view sql, const Params& params, std::int64_t* changed) {
        const std::string& name = prepared(sql);
        std::vector<std::string> texts(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const auto& p = params[i];
            if (auto v = std::get_if<std::int64_t>(&p))
                texts[i] = std::to_string(*v);
            else if (auto d = std::get_if<double>(&p))
                texts[i] = std::to_string(*d);
            else if (auto s = std::get_if<std::string>(&p)) {
                if (s->find('\0') != std::string::npos)
                    throw InvalidText("text with a NUL character");
                texts[i] = *s;
            } else
                continue;
            values[i] = texts[i].c_str();
        }
        PGresult* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                                       values.data(), nullptr, nullptr, 0);
        const auto status = PQresultStatus(res);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            std::string msg = PQresultErrorMessage(res);
            const std::string state = state_of(res);
            PQclear(res);
            fail(std::string(sql), msg, state);
        }
        Rows rows;
        const int n = PQntuples(res), columns = PQnfields(res);
        if (n > 0) {
            auto names = std::make_shared<std::vector<std::string>>();
            for (int c = 0; c < columns; ++c) names->emplace_back(PQfname(res, c));
            Row::Columns shared = std::move(names);
            rows.reserve(static_cast<std::size_t>(n));
            for (int r = 0; r < n; ++r) {
                std::vector<SqlValue> row;
                row.reserve(static_cast<std::size_t>(columns));
                for (int c = 0; c < columns; ++c) row.push_back(value_of(res, r, c));
                rows.emplace_back(shared, std::move(row));
            }
        }
        if (changed) {
            const char* count = PQcmdTuples(res);
            *changed = count && *count ? std::strtoll(count, nullptr, 10) : 0;
        }
        PQclear(res);
        return rows;
    }

  private:
    static std::string trimmed(std::string s) {
        while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
        return s;
    }

    [[noreturn]] void fail(const std::string& sql, const std::string& msg,
                           const std::string& state = "") {
        if (PQstatus(conn_) != CONNECTION_OK)
            throw StoreUnavailable("PostgreSQL connection lost: " + trimmed(msg));
        // unique_violation, serialization_failure, deadlock_detected: another transaction won.
        if (state == "23505" || state == "40001" || state == "40P01")
            throw Conflict(trimmed(msg) + " in " + sql);
        throw StoreError(trimmed(msg) + " in " + sql);
    }
    static std::string state_of(const PGresult* res) {
        const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        return state != nullptr ? state : "";
    }

    const std::string& prepared(std::string_view sql) {
        auto it = statements_.find(std::string(sql));
        if (it != statements_.end()) return it->second;
        // Filter SQL varies with the filter's shape; keep the number of statements bounded.
        if (statements_.size() > 512) {
            run("DEALLOCATE ALL");
            statements_.clear();
        }
        std::string name = "s" + std::to_string(++serial_);
        const std::string text = numbered_placeholders(sql);
        PGresult* res = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            std::string msg = PQresultErrorMessage(res);
            PQclear(res);
            fail(text, msg);
        }
        PQclear(res);
        return statements_.emplace(std::string(sql), std::move(name)).first->second;
    }

    PGconn* conn_ = nullptr;
    std::unordered_map<std::string, std::string> statements_;
    std::uint64_t serial_ = 0;
};

namespace {

class PgTransaction : public Transaction {
  public:
    PgTransaction(PgDatabase& owner, std::unique_ptr<PgConnection> connection, Access access)
        : owner_(owner), connection_(std::move(connection)) {
        connection_->run("BEGIN");
        // Writers run side by side: a check and the write it guards hold the rows they read
        // (locking() adds FOR UPDATE: the Linode for "Linode busy." and its job), unique keys
        // settle the rest (a label, an address), and a collision is a Conflict that the
        // request runs again. Schema changes take turns across processes.
        if (access == Access::schema) connection_->run("SELECT pg_advisory_xact_lock(7316)");
        locks_rows_ = access == Access::write;
    }
    ~PgTransaction() override {
        if (!done_) {
            try {
                connection_->run("ROLLBACK");
            } catch (const StoreError&) {
                return;  // the connection is unusable: drop it
            }
        }
        if (connection_->healthy()) owner_.release(std::move(connection_));
    }
    Rows query(std::string_view sql, const Params& params) override {
        return connection_->query(sql, params, nullptr);
    }
    std::int64_t execute(std::string_view sql, const Params& params) override {
        std::int64_t changed = 0;
        connection_->query(sql, params, &changed);
        return changed;
    }
    void commit() override {
        write_versions();
        connection_->run("COMMIT");
        done_ = true;
    }
    void notify(std::string_view channel) override {
        connection_->run(("NOTIFY " + channel_name(channel)).c_str());
    }
    Dialect dialect() const override { return Dialect::postgresql; }
    bool locks_rows() const override { return locks_rows_; }
    Rows query_in_index_order(std::string_view sql, const Params& params) override {
        // Only this statement is planned without sorts; a plan the connection keeps for any
        // other statement is made with the defaults.
        connection_->run("SET LOCAL enable_sort = off");
        auto rows = connection_->query(sql, params, nullptr);
        connection_->run("RESET enable_sort");
        return rows;
    }

  private:
    PgDatabase& owner_;
    std::unique_ptr<PgConnection> connection_;
    bool locks_rows_ = false;
    bool done_ = false;
};

}  // namespace

// A connection of its own that LISTENs; made again when it breaks.
class PgListener : public Listener {
  public:
    PgListener(std::string url, std::string channel)
        : url_(std::move(url)), channel_(channel_name(channel)) {}
    ~PgListener() override { PQfinish(conn_); }

    bool wait(std::chrono::milliseconds timeout) override {
        if (!connected()) {
            std::this_thread::sleep_for(timeout);
            return true;
        }
        if (drain()) return true;
        pollfd fd{PQsocket(conn_), POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) return false;
        if (PQconsumeInput(conn_) == 0) {
            PQfinish(conn_);
            conn_ = nullptr;
            return true;
        }
        return drain();
    }

  private:
    bool connected() {
        if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) return true;
        PQfinish(conn_);
        conn_ = PQconnectdb(url_.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) return false;
        PGresult* res = PQexec(conn_, ("LISTEN " + channel_).c_str());
        const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        PQclear(res);
        return ok;
    }
    bool drain() {
        bool any = false;
        while (PGnotify* n = PQnotifies(conn_)) {
            any = true;
            PQfreemem(n);
        }
        return any;
    }
    std::string url_;
    std::string channel_;
    PGconn* conn_ = nullptr;
};

std::unique_ptr<Listener> PgDatabase::listen(const std::string& channel) {
    return std::make_unique<PgListener>(url_, channel);
}

int PgDatabase::refresh_statistics() {
    auto tx = begin(Access::write);
    const auto stale = tx->query(
        "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE "
        "s.schemaname = current_schema() AND s.n_live_tup > 50 + 1.5 * GREATEST(c.reltuples, 0) "
        "ORDER BY s.relname");
    for (const auto& row : stale) {
        std::string name = row.text("relname");
        std::string quoted = "\"";
        for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        tx->execute("ANALYZE " + quoted + "\"");
    }
    tx->commit();
    return static_cast<int>(stale.size());
}

PgDatabase::PgDatabase(std::string url) : url_(std::move(url)) {
    release(acquire());  // fail early when the server cannot be reached
}

PgDatabase::~PgDatabase() = default;

std::unique_ptr<PgConnection> PgDatabase::acquire() {
    {
        std::lock_guard lock(mutex_);
        while (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            if (c->healthy()) return c;
        }
    }
    return std::make_unique<PgConnection>(url_);
}

void PgDatabase::release(std::unique_ptr<PgConnection> connection) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
}

std::unique_ptr<Transaction> PgDatabase::begin(Access access) {
    try {
        return std::make_unique<PgTransaction>(*this, acquire(), access);
    } catch (const StoreUnavailable&) {
        // The server went away since these connections were made (a restart, a failover): they
        // are all stale. Forget them and try once on a new connection; if the server is still
        // away that attempt fails too and the caller answers 503.
        {
            std::lock_guard lock(mutex_);
            idle_.clear();
        }
        return std::make_unique<PgTransaction>(*this, acquire(), access);
    }
}

}  // namespace linnet::store
