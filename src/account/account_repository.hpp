// The accounts table (one row per tenant: the account document and its settings): every
// statement on it lives in account_repository.cpp. Reads and writes go to the transaction's
// account; creating one and finding the first are duties of the system scope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace linnet::account {

struct Account {
    std::string doc;       // the account object
    std::string settings;  // the account settings object
};

class AccountRepository {
  public:
    explicit AccountRepository(store::Transaction& tx) : tx_(tx) {}

    // The transaction's account.
    std::optional<Account> find();
    void save_doc(const std::string& doc);
    void save_settings(const std::string& settings);

    // Adds an account; answers its id.
    std::int64_t insert(const Account& account, const std::string& created);
    bool exists(std::int64_t id);
    std::optional<std::int64_t> first_id();

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::account
