// PostgreSQL behind the store interface, through libpq: a pool of connections, each with its
// prepared statements; the store's "?" placeholders become "$n". Transactions run at READ
// COMMITTED; schema changes take turns on one advisory lock, across processes.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::store {

class PgConnection;

class PgDatabase : public Database {
  public:
    // url: "postgresql://user@host:port/dbname?..." as libpq takes it.
    explicit PgDatabase(std::string url);
    ~PgDatabase() override;

    std::unique_ptr<Transaction> begin(Access access) override;
    Dialect dialect() const override { return Dialect::postgresql; }
    std::unique_ptr<Listener> listen(const std::string& channel) override;
    int refresh_statistics() override;

    std::unique_ptr<PgConnection> acquire();
    void release(std::unique_ptr<PgConnection> connection);
    // Drops the idle connections: their server went away since they were made.
    void forget_idle();

  private:
    std::string url_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<PgConnection>> idle_;
};

// The statement with each "?" outside quotes replaced by $1, $2, ...
std::string numbered_placeholders(std::string_view sql);

}  // namespace linnet::store
