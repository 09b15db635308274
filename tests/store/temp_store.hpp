// For tests: a migrated store of its own with one write transaction open, removed afterwards.
// SQLite in a temporary folder by default; with LINNET_TEST_PG set to a PostgreSQL URL (the
// server's maintenance database), a fresh database of that server instead, so the same tests
// run on both engines (ctest's *_on_postgresql tests set it).
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/database.hpp"

namespace linnet::store {

class TempStore {
  public:
    explicit TempStore(const std::string& name)
        : dir_(std::filesystem::temp_directory_path() /
               ("linnet-" + name + "-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(dir_);
        const char* pg = std::getenv("LINNET_TEST_PG");
        if (pg != nullptr && *pg != '\0') {
            static std::atomic<int> serial{0};
            server_ = pg;
            database_ = "t_" + std::to_string(::getpid()) + "_" + std::to_string(++serial);
            admin("DROP DATABASE IF EXISTS " + database_);
            admin("CREATE DATABASE " + database_);
            db_ = open_database(with_database(server_, database_), dir_);
        } else {
            db_ = open_database("", dir_);
        }
        tx_ = db_->begin(Access::write);
        // Tests run as one account unless they choose another scope.
        tx_->set_scope(Scope::system());
        account_ = tx_->query(
                           "INSERT INTO accounts (doc, settings, created) VALUES ('{}', '{}', "
                           "'2026-01-01T00:00:00') RETURNING id")
                       .at(0)
                       .integer("id");
        tx_->set_scope(Scope::account(account_));
    }
    ~TempStore() {
        tx_.reset();
        db_.reset();
        if (!database_.empty()) admin("DROP DATABASE IF EXISTS " + database_);
        std::filesystem::remove_all(dir_);
    }
    Transaction& tx() { return *tx_; }
    // The account the store's transactions run as.
    std::int64_t account_id() const { return account_; }
    Database& db() { return *db_; }
    // Commits the open transaction and keeps none open (for tests that begin their own).
    void finish() {
        if (tx_) tx_->commit();
        tx_.reset();
    }
    // Commits the open transaction and begins the next one.
    void commit() {
        tx_->commit();
        tx_ = db_->begin(Access::write);
        // Tests run as one account unless they choose another scope.
        tx_->set_scope(Scope::system());
        account_ = tx_->query(
                           "INSERT INTO accounts (doc, settings, created) VALUES ('{}', '{}', "
                           "'2026-01-01T00:00:00') RETURNING id")
                       .at(0)
                       .integer("id");
        tx_->set_scope(Scope::account(account_));
    }

    // Ends the server side of every connection to the test database (PostgreSQL; nothing on
    // SQLite): the pool's idle connections find out at their next round trip.
    void drop_connections() {
        if (database_.empty()) return;
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $$" +
              database_ + "$$");
    }

  private:
    static std::string with_database(const std::string& url, const std::string& database) {
        const auto slash = url.rfind('/');
        return url.substr(0, slash + 1) + database;
    }
    void admin(const std::string& sql) {
        const std::string cmd = "psql -q '" + server_ + "' -c '" + sql + "' >/dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0 && sql.rfind("CREATE", 0) == 0)
            throw StoreError("cannot create the test database " + database_);
    }
    std::filesystem::path dir_;
    std::string server_;
    std::string database_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<Transaction> tx_;
    std::int64_t account_ = 0;
};

}  // namespace linnet::store
