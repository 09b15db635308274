// The store's narrow face: transactions that run parameterised SQL. SQLite sits behind it today;
// a PostgreSQL implementation sits beside it, so the SQL used through it stays portable.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>

#include <vector>
#include "store/scope.hpp"

namespace linnet::store {

using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;
using Params = std::vector<SqlValue>;

// A parameter that is NULL when the value is absent.
template <class T>
SqlValue or_null(const std::optional<T>& value) {
    if (!value) return std::monostate{};
    return *value;
}

// The placeholders of an IN list ("?,?,?"), one for each of `values`, which are appended to
// `params` in order.
template <class Values>
std::string placeholders(const Values& values, Params& params) {
    std::string marks;
    for (const auto& v : values) {
        marks += marks.empty() ? "?" : ",?";
        params.emplace_back(v);
    }
    return marks;
}

// One result row. Columns are read by name (the name the SELECT gives them, e.g. `AS n`); a
// name the statement did not select is a programming error (std::out_of_range).
class Row {
  public:
    using Columns = std::shared_ptr<const std::vector<std::string>>;
    Row(Columns columns, std::vector<SqlValue> values)
        : columns_(std::move(columns)), values_(std::move(values)) {}

    bool is_null(std::string_view column) const {
        return std::holds_alternative<std::monostate>(at(column));
    }
    std::int64_t integer(std::string_view column) const;
    double real(std::string_view column) const;
    const std::string& text(std::string_view column) const;
    bool boolean(std::string_view column) const { return integer(column) != 0; }
    std::optional<std::string> optional_text(std::string_view column) const;
    std::optional<std::int64_t> optional_integer(std::string_view column) const;
    const SqlValue& at(std::string_view column) const;
    std::size_t size() const { return values_.size(); }

  private:
    Columns columns_;
    std::vector<SqlValue> values_;
};
using Rows = std::vector<Row>;

enum class Dialect { sqlite, postgresql };
// schema: a write that changes tables (migrations); SQLite turns foreign key enforcement off for
// it, so that a table can be rebuilt under its references, and checks them before committing.
// counter: a write whose statements are each atomic on their own and read nothing else (the rate
// limiter's grants). On PostgreSQL it does not take turns with the other writers, so a thread
// that holds a write transaction may run one; SQLite has one writer per file and treats it as a
// write.
enum class Access { read, write, schema, counter };

// Thrown when the database itself fails (I/O, corruption, constraint bugs): never user input.
class StoreError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Thrown when the database cannot be reached (a PostgreSQL server that went away): the request
// is answered 503 and may be retried.
class StoreUnavailable : public StoreError {
  public:
    using StoreError::StoreError;
};

// Two transactions collided (a unique key both inserted, a deadlock, a serialization failure on
// PostgreSQL): the transaction was rolled back and running it again is expected to succeed or
// to see the other's result.
class Conflict : public StoreError {
  public:
    using StoreError::StoreError;
};

// A text value the store cannot keep (a NUL character): refused the same way on every engine.
class InvalidText : public StoreError {
  public:
    using StoreError::StoreError;
};

// A transaction; destroying it without commit() rolls it back.
class Transaction {
  public:
    virtual ~Transaction() = default;
    // Whose data it reads and writes; StoreError when none was set.
    const Scope& scope() const {
        if (!scope_) throw StoreError("a statement narrowed to an account ran with no scope set");
        return *scope_;
    }
    void set_scope(const Scope& scope) { scope_ = scope; }
    virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
    // Runs a statement; answers the number of rows it changed.
    virtual std::int64_t execute(std::string_view sql, const Params& params = {}) = 0;
    // A write whose count of changed rows nobody reads: an engine may send it with the
    // transaction's next statement, or its COMMIT, in one round trip. Its failure is then the
    // failure of that statement (a Conflict still runs the request again; any other error
    // still rolls the transaction back).
    virtual void write(std::string_view sql, const Params& params = {}) { execute(sql, params); }
    // Announces a read that a later query() makes with the same statement and parameters: an
    // engine may send it with the transaction's next round trip, beside other reads announced
    // so, and answer that query() with the rows it read then. A write in between (execute(),
    // write(), a query() that is no SELECT) forgets what was read ahead, and the query() reads
    // afresh.
    virtual void read_ahead(std::string_view sql, const Params& params = {}) {
        (void)sql;
        (void)params;
    }
    // A read announced as read_ahead() announces it, whose answer no write of the transaction
    // changes (a sequence's next value): writes do not forget it. Taken by take_ahead(), or by a
    // query() of the same statement.
    virtual void read_ahead_kept(std::string_view sql, const Params& params = {}) {
        (void)sql;
        (void)params;
    }
    // The rows of a read announced by read_ahead_kept() (read now if it was not sent yet), once;
    // none when it was not announced (or the engine announces nothing).
    virtual std::optional<Rows> take_ahead(std::string_view sql, const Params& params = {}) {
        (void)sql;
        (void)params;
        return std::nullopt;
    }
    virtual void commit() = 0;
    // True where concurrent writers interleave and rows a write reads must be locked (PostgreSQL);
    // SQLite's one writer at a time needs none.
    virtual bool locks_rows() const { return false; }
    // A query whose ORDER BY an index serves, planned to read that index in order even where
    // the planner's statistics are stale (a queue that grew within the last minute would
    // otherwise be read whole and sorted on PostgreSQL; SQLite's planner reads the index).
    virtual Rows query_in_index_order(std::string_view sql, const Params& params = {}) {
        return query(sql, params);
    }
    // A query that reads a few rows of a small table by its indexes, planned so even where the
    // statistics say that reading the table whole costs as little (a few hundred rows, read on
    // every create, cost ten times more read whole on PostgreSQL).
    virtual Rows query_by_index(std::string_view sql, const Params& params = {}) {
        return query(sql, params);
    }
    // Records that the lists of `family` (e.g. "linodes") of an account change with this
    // transaction: its commit moves their version on (list_version), so that answers kept for
    // the older version are not given again, by any process.
    void touch(std::string_view family, std::int64_t account_id) {
        touched_.emplace(std::string(family), account_id);
    }
    // Adds `delta` to the count of an account's `family` rows under `key` (e.g. the Linodes of
    // a region); the commit writes the sums, as it does list versions, so that the rows it
    // updates are held no longer than the commit. list_count() reads them.
    void count(std::string_view family, std::int64_t account_id, std::string key,
               std::int64_t delta) {
        counted_[{std::string(family), account_id, std::move(key)}] += delta;
    }
    // Signals the listeners of `channel` in every process once this transaction commits
    // (PostgreSQL's NOTIFY); nothing where the engine has no such signal.
    virtual void notify(std::string_view channel) { (void)channel; }
    virtual Dialect dialect() const = 0;

  protected:
    // Writes the versions that touch() moved on and the counts count() changed; engines call it
    // just before COMMIT, so that the rows it updates are held no longer than the commit itself.
    void write_versions();

  private:
    std::optional<Scope> scope_;
    std::set<std::pair<std::string, std::int64_t>> touched_;
    std::map<std::tuple<std::string, std::int64_t, std::string>, std::int64_t> counted_;
};

// The version of an account's lists of `family`: it changes with every committed transaction
// that touched them (0 before the first).
std::int64_t list_version(Transaction& tx, std::string_view family, std::int64_t account_id);
// How many of an account's `family` rows are counted under `key` (Transaction::count), read from
// the few rows of its sums rather than from the rows themselves.
std::int64_t list_count(Transaction& tx, std::string_view family, std::int64_t account_id,
                        const std::string& key);
// The same as a scalar sub-select of another statement, for the account in `account_column`
// and the family in `family_column`, or bound as the sub-select's one parameter when that is
// empty (none matches the family ""): a request that looks its caller up learns the version in
// the same round trip.
std::string list_version_column(std::string_view account_column,
                                std::string_view family_column = {});

// Waits for the signals of one channel that other processes' transactions send.
class Listener {
  public:
    virtual ~Listener() = default;
    // True when a signal came (or the connection had to be made again, which may have missed
    // one) within `timeout`.
    virtual bool wait(std::chrono::milliseconds timeout) = 0;
};

class Database {
  public:
    virtual ~Database() = default;
    // A listener of `channel` (PostgreSQL's LISTEN), or nullptr where one process is all there
    // is (SQLite: one serve per file, signalled in the process).
    virtual std::unique_ptr<Listener> listen(const std::string& channel) {
        (void)channel;
        return nullptr;
    }
    virtual std::unique_ptr<Transaction> begin(Access access) = 0;
    // Measures again the tables that grew by half since they were last measured (PostgreSQL;
    // answers how many; tables whose rows only change are left to autovacuum). Autovacuum
    // measures growing tables too, but looks only once a minute by default, and
    // until it does, the plans that connections keep for their prepared statements stay those
    // made while a table was nearly empty (a scan of the whole table where an index would find
    // one row). SQLite plans without such statistics.
    virtual int refresh_statistics() { return 0; }
    // A transaction that runs in `scope` from its first statement.
    std::unique_ptr<Transaction> begin_in(Access access, const Scope& scope) {
        auto tx = begin(access);
        tx->set_scope(scope);
        return tx;
    }
    virtual Dialect dialect() const = 0;
};

// Opens the database named by url ("" or "sqlite:PATH" or "postgresql://..."), defaulting to
// SQLite in data_dir, and applies pending migrations.
std::unique_ptr<Database> open_database(const std::string& url,
                                        const std::filesystem::path& data_dir);

// `sql` locking the rows it reads when the transaction locks rows (PostgreSQL writes), and as it
// is elsewhere. The lock is FOR NO KEY UPDATE (keys never change, so other transactions may
// still insert rows that refer to the locked ones); `clause` follows it, e.g. " OF linodes",
// " SKIP LOCKED". Rows of different kinds are locked in the order docs/data-layer.md gives.
std::string locking(const Transaction& tx, std::string_view sql, std::string_view clause = "");

// A LIKE pattern argument with %, _ and \ escaped (use with ESCAPE '\').
std::string like_escape(std::string_view text);

}  // namespace linnet::store
