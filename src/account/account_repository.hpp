// The account table (one row, id 1: the account this installation serves): every statement on
// it lives in account_repository.cpp.
#pragma once

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

    std::optional<Account> find();
    bool exists();
    void insert(const Account& account);
    void save_doc(const std::string& doc);
    void save_settings(const std::string& settings);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::account
