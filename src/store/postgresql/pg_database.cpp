// libpq connections, prepared statements and transactions.
#include "store/postgresql/pg_database.hpp"

#include <libpq-fe.h>

#include <poll.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <deque>
#include <iterator>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

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

// Parameters as libpq takes them: text, or a null pointer for NULL.
class BoundParams {
  public:
    explicit BoundParams(const Params& params) : texts_(params.size()), values_(params.size()) {
        for (std::size_t i = 0; i < params.size(); ++i) {
            const auto& p = params[i];
            if (auto v = std::get_if<std::int64_t>(&p))
                texts_[i] = std::to_string(*v);
            else if (auto d = std::get_if<double>(&p))
                texts_[i] = std::to_string(*d);
            else if (auto s = std::get_if<std::string>(&p)) {
                if (s->find('\0') != std::string::npos)
                    throw InvalidText("text with a NUL character");
                texts_[i] = *s;
            } else
                continue;
            values_[i] = texts_[i].c_str();
        }
    }
    BoundParams(const BoundParams&) = delete;
    BoundParams& operator=(const BoundParams&) = delete;
    int size() const { return static_cast<int>(values_.size()); }
    const char* const* values() const { return values_.data(); }

  private:
    std::vector<std::string> texts_;
    std::vector<const char*> values_;
};

// One statement of a round trip: a prepared statement with its parameters, or a command
// without any (BEGIN, SET, NOTIFY, COMMIT).
struct Statement {
    std::string sql;
    Params params;
    bool command = false;
    bool ahead = false;  // a read announced ahead (Transaction::read_ahead): its rows are kept
    bool kept = false;   // ... and writes do not forget it (Transaction::read_ahead_kept)
};

// The rows of a read sent ahead, until its query() takes them.
struct ReadAhead {
    std::string sql;
    Params params;
    Rows rows;
    bool kept = false;
};

}  // namespace

// One connection. Statements whose only answer is success or failure (BEGIN, the settings
// around a statement, the writes of a commit) wait in `deferred_` and travel with the next
// statement in one round trip (libpq's pipeline mode); the first failure among them is the
// failure of that statement. Batches are a few statements of small text, so the blocking mode's
// writes cannot fill the socket while the server waits to send results.
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

    bool healthy() const {
        return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK &&
               PQpipelineStatus(conn_) == PQ_PIPELINE_OFF;
    }

    void defer(std::string command) { deferred_.push_back({std::move(command), {}, true}); }
    void defer(std::string_view sql, Params params) {
        deferred_.push_back({std::string(sql), std::move(params), false});
    }
    void drop_deferred() {
        deferred_.clear();
        read_.clear();
    }
    void defer_ahead(std::string_view sql, Params params, bool kept = false) {
        deferred_.push_back({std::string(sql), std::move(params), false, true, kept});
    }
    // Whether a read announced ahead waits to be sent.
    bool announced(std::string_view sql, const Params& params) const {
        for (const auto& s : deferred_)
            if (s.ahead && s.sql == sql && s.params == params) return true;
        return false;
    }
    // The rows of a read that went ahead, once; nothing when it did not (or was forgotten).
    std::optional<Rows> take_read(std::string_view sql, const Params& params) {
        for (auto it = read_.begin(); it != read_.end(); ++it)
            if (it->sql == sql && it->params == params) {
                Rows rows = std::move(it->rows);
                read_.erase(it);
                return rows;
            }
        return std::nullopt;
    }
    // Takes an announced read back from what waits to be sent (it is about to be sent itself).
    void withdraw_ahead(std::string_view sql, const Params& params) {
        for (auto it = deferred_.begin(); it != deferred_.end(); ++it)
            if (it->ahead && it->sql == sql && it->params == params) {
                deferred_.erase(it);
                return;
            }
    }
    // A write comes: what was read ahead may be out of date, and what waits is not sent (but
    // for the reads no write changes).
    void forget_ahead() {
        std::erase_if(deferred_, [](const Statement& s) { return s.ahead && !s.kept; });
        std::erase_if(read_, [](const ReadAhead& r) { return !r.kept; });
    }
    std::size_t deferred() const { return deferred_.size(); }
    // Sends what was deferred now.
    Rows flush() {
        if (deferred_.empty()) return {};
        Statement last = std::move(deferred_.back());
        deferred_.pop_back();
        return exchange(std::move(last), nullptr, true);
    }

    void run(const char* sql) { exchange({sql, {}, true}, nullptr); }
    Rows query(std::string_view sql, const Params& params, std::int64_t* changed) {
        return exchange({std::string(sql), params, false}, changed);
    }

    // The deferred statements of the last exchange, when the connection was lost under it (the
    // statement the exchange was made for is the caller's to send again).
    std::vector<Statement> take_lost() { return std::move(lost_); }
    // Defers `statements` before anything deferred since.
    void requeue(std::vector<Statement> statements) {
        statements.insert(statements.end(), std::make_move_iterator(deferred_.begin()),
                          std::make_move_iterator(deferred_.end()));
        deferred_ = std::move(statements);
    }

  private:
    using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

    // `last_deferred`: the last statement was itself deferred (a flush), and is lost with the
    // others if the connection is.
    Rows exchange(Statement last, std::int64_t* changed, bool last_deferred = false) {
        std::vector<Statement> batch = std::move(deferred_);
        deferred_.clear();
        lost_.clear();
        batch.push_back(std::move(last));
        try {
            make_room(batch);
            std::vector<std::string> names;
            for (const auto& s : batch) names.push_back(s.command ? "" : prepared(s.sql));
            Result res =
                batch.size() == 1 ? one(batch.front(), names.front()) : pipeline(batch, names);
            return rows_of(res.get(), changed);
        } catch (const StoreUnavailable&) {
            read_.clear();
            if (!last_deferred) batch.pop_back();
            lost_ = std::move(batch);
            throw;
        } catch (...) {
            read_.clear();
            throw;
        }
    }

    Result one(const Statement& s, const std::string& name) {
        PGresult* res = nullptr;
        if (s.command) {
            res = PQexec(conn_, s.sql.c_str());
        } else {
            const BoundParams bound(s.params);
            res = PQexecPrepared(conn_, name.c_str(), bound.size(), bound.values(), nullptr,
                                 nullptr, 0);
        }
        Result held(res, &PQclear);
        check(held.get(), s);
        keep_if_ahead(held.get(), s);
        return held;
    }

    Result pipeline(const std::vector<Statement>& batch, const std::vector<std::string>& names) {
        // Every value is bound (a text that cannot be sent is refused) before anything is sent.
        std::deque<BoundParams> bound;  // never moved: values point into their texts
        for (const auto& s : batch) bound.emplace_back(s.params);
        if (PQenterPipelineMode(conn_) != 1) fail("pipeline", PQerrorMessage(conn_));
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const auto& s = batch[i];
            const int sent = s.command
                                 ? PQsendQueryParams(conn_, s.sql.c_str(), 0, nullptr, nullptr,
                                                     nullptr, nullptr, 0)
                                 : PQsendQueryPrepared(conn_, names[i].c_str(), bound[i].size(),
                                                       bound[i].values(), nullptr, nullptr, 0);
            if (sent != 1) fail(s.sql, PQerrorMessage(conn_));
        }
        if (PQpipelineSync(conn_) != 1) fail("pipeline", PQerrorMessage(conn_));
        // Each statement answers with its result and a null; the batch ends with the sync.
        Result last(nullptr, &PQclear);
        std::optional<std::pair<std::size_t, Result>> failed;
        for (std::size_t i = 0; i < batch.size(); ++i) {
            Result res(PQgetResult(conn_), &PQclear);
            if (!res) fail(batch[i].sql, PQerrorMessage(conn_));
            while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
            const auto status = PQresultStatus(res.get());
            if (status == PGRES_FATAL_ERROR && !failed) failed.emplace(i, std::move(res));
            if (status == PGRES_TUPLES_OK) keep_if_ahead(res.get(), batch[i]);
            if (i + 1 == batch.size()) last = std::move(res);
        }
        Result sync(PQgetResult(conn_), &PQclear);
        if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC)
            fail("pipeline", PQerrorMessage(conn_));
        if (PQexitPipelineMode(conn_) != 1) fail("pipeline", PQerrorMessage(conn_));
        if (failed) check(failed->second.get(), batch[failed->first]);
        check(last.get(), batch.back());
        return last;
    }

    void keep_if_ahead(const PGresult* res, const Statement& s) {
        if (s.ahead) read_.push_back({s.sql, s.params, rows_of(res, nullptr), s.kept});
    }

    void check(const PGresult* res, const Statement& s) {
        const auto status = PQresultStatus(res);
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
        const std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
        fail(s.sql, msg, state_of(res));
    }

    static Rows rows_of(const PGresult* res, std::int64_t* changed) {
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
            const char* count = PQcmdTuples(const_cast<PGresult*>(res));
            *changed = count && *count ? std::strtoll(count, nullptr, 10) : 0;
        }
        return rows;
    }

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
        const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
        return state != nullptr ? state : "";
    }

    // Filter SQL varies with the filter's shape; keep the number of statements bounded. Room is
    // made before a batch's names are taken, so that none of them is deallocated under it.
    void make_room(const std::vector<Statement>& batch) {
        if (statements_.size() + batch.size() <= 512) return;
        Result res(PQexec(conn_, "DEALLOCATE ALL"), &PQclear);
        check(res.get(), {"DEALLOCATE ALL", {}, true});
        statements_.clear();
    }

    const std::string& prepared(const std::string& sql) {
        auto it = statements_.find(sql);
        if (it != statements_.end()) return it->second;
        std::string name = "s" + std::to_string(++serial_);
        const std::string text = numbered_placeholders(sql);
        Result res(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr), &PQclear);
        check(res.get(), {text, {}, false});
        return statements_.emplace(sql, std::move(name)).first->second;
    }

    PGconn* conn_ = nullptr;
    std::unordered_map<std::string, std::string> statements_;
    std::uint64_t serial_ = 0;
    std::vector<Statement> deferred_;
    std::vector<Statement> lost_;
    std::vector<ReadAhead> read_;
};

namespace {

// Deferred statements sent at once at most: their results are read only after all are sent.
constexpr std::size_t kMostDeferred = 64;

// True when the statement's first word is `word` (in capitals).
bool starts_with(std::string_view sql, std::string_view word) {
    while (!sql.empty() && std::isspace(static_cast<unsigned char>(sql.front())))
        sql.remove_prefix(1);
    if (sql.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(sql[i])) != word[i]) return false;
    return true;
}

bool is_plain_read(std::string_view sql) {
    return (starts_with(sql, "SELECT") || starts_with(sql, "WITH")) &&
           sql.find(" FOR UPDATE") == std::string_view::npos &&
           sql.find(" FOR NO KEY UPDATE") == std::string_view::npos;
}

// Write transactions begin with their first statement (BEGIN travels with it) and end with one
// round trip that carries the list versions, the NOTIFYs and the COMMIT. Read transactions run
// their SELECTs outside a transaction block: at READ COMMITTED each statement sees its own
// snapshot in a block too, so nothing differs but the two round trips of BEGIN and ROLLBACK; a
// read transaction that writes after all begins a block at its first write.
class PgTransaction : public Transaction {
  public:
    PgTransaction(PgDatabase& owner, std::unique_ptr<PgConnection> connection, Access access)
        : owner_(owner), connection_(std::move(connection)), access_(access) {
        // Writers run side by side: a check and the write it guards hold the rows they read
        // (locking() adds FOR NO KEY UPDATE: the Linode for "Linode busy." and its job), unique
        // keys settle the rest (a label, an address), and a collision is a Conflict that the
        // request runs again. Schema changes take turns across processes.
        if (access != Access::read) open_block();
        locks_rows_ = access == Access::write;
    }
    ~PgTransaction() override {
        if (!connection_) return;
        connection_->drop_deferred();
        if (!done_ && sent_ && in_block_) {
            try {
                connection_->run("ROLLBACK");
            } catch (const StoreError&) {
                return;  // the connection is unusable: drop it
            }
        }
        if (connection_->healthy()) owner_.release(std::move(connection_));
    }
    Rows query(std::string_view sql, const Params& params) override {
        if (auto rows = connection_->take_read(sql, params)) return std::move(*rows);
        // A SELECT (locking or not) leaves the reads ahead as they are; anything else writes.
        if (starts_with(sql, "SELECT"))
            connection_->withdraw_ahead(sql, params);
        else
            connection_->forget_ahead();
        if (!in_block_ && !is_plain_read(sql)) open_block();
        return send([&] { return connection_->query(sql, params, nullptr); });
    }
    void read_ahead(std::string_view sql, const Params& params) override {
        if (!in_block_ && !is_plain_read(sql)) open_block();
        connection_->defer_ahead(sql, params);
        if (connection_->deferred() >= kMostDeferred) send([&] { return connection_->flush(); });
    }
    void read_ahead_kept(std::string_view sql, const Params& params) override {
        if (!in_block_ && !is_plain_read(sql)) open_block();
        connection_->defer_ahead(sql, params, true);
        if (connection_->deferred() >= kMostDeferred) send([&] { return connection_->flush(); });
    }
    std::optional<Rows> take_ahead(std::string_view sql, const Params& params) override {
        if (auto rows = connection_->take_read(sql, params)) return rows;
        if (!connection_->announced(sql, params)) return std::nullopt;
        return query(sql, params);  // sent now, with what waits
    }
    std::int64_t execute(std::string_view sql, const Params& params) override {
        connection_->forget_ahead();
        if (!in_block_) open_block();
        std::int64_t changed = 0;
        send([&] { return connection_->query(sql, params, &changed); });
        return changed;
    }
    void write(std::string_view sql, const Params& params) override {
        connection_->forget_ahead();
        if (!in_block_) open_block();
        connection_->defer(sql, params);
        if (connection_->deferred() >= kMostDeferred) send([&] { return connection_->flush(); });
    }
    void commit() override {
        write_versions();
        if (in_block_) {
            send([&] {
                connection_->run("COMMIT");
                return Rows{};
            });
        }
        done_ = true;
    }
    void notify(std::string_view channel) override {
        if (!in_block_) open_block();
        connection_->defer("NOTIFY " + channel_name(channel));
    }
    Dialect dialect() const override { return Dialect::postgresql; }
    bool locks_rows() const override { return locks_rows_; }
    Rows query_in_index_order(std::string_view sql, const Params& params) override {
        return query_without("enable_sort", sql, params);
    }
    Rows query_by_index(std::string_view sql, const Params& params) override {
        return query_without("enable_seqscan", sql, params);
    }

  private:
    // Only this statement is planned with `setting` off; a plan the connection keeps for any
    // other statement is made with the defaults. In a block the setting ends with it whatever
    // happens; the RESET travels with the next statement.
    Rows query_without(const char* setting, std::string_view sql, const Params& params) {
        if (!in_block_) open_block();
        connection_->defer(std::string("SET LOCAL ") + setting + " = off");
        auto rows = query(sql, params);
        connection_->defer(std::string("RESET ") + setting);
        return rows;
    }
    void open_block() {
        in_block_ = true;
        connection_->defer("BEGIN");
        if (access_ == Access::schema) connection_->defer("SELECT pg_advisory_xact_lock(7316)");
    }
    // The transaction's first round trip goes to a pooled connection that may have lost its
    // server (a restart, a failover): then the pool is forgotten and it is sent once more on a
    // new connection, with everything deferred before it. Nothing of the transaction reached
    // the server before it.
    template <class Fn>
    Rows send(Fn&& fn) {
        if (sent_) return fn();
        sent_ = true;
        try {
            return fn();
        } catch (const StoreUnavailable&) {
            if (connection_->healthy()) throw;
            // What was deferred so far (BEGIN, writes) travelled with that round trip: it goes
            // again, ahead of the statement itself.
            auto unsent = connection_->take_lost();
            owner_.forget_idle();
            connection_ = owner_.acquire();
            connection_->requeue(std::move(unsent));
            return fn();
        }
    }

    PgDatabase& owner_;
    std::unique_ptr<PgConnection> connection_;
    Access access_;
    bool locks_rows_ = false;
    bool in_block_ = false;
    bool sent_ = false;
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

void PgDatabase::forget_idle() {
    std::lock_guard lock(mutex_);
    idle_.clear();
}

std::unique_ptr<Transaction> PgDatabase::begin(Access access) {
    // A pooled connection whose server went away is found by the transaction's first round
    // trip, which is then sent again on a new one.
    return std::make_unique<PgTransaction>(*this, acquire(), access);
}

}  // namespace linnet::store
