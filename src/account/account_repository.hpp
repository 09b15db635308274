// The accounts table (one row per tenant: the account document and its settings): every
// statement on it lives in account_repository.cpp. Reads and writes go to the transaction's
// account; creating one and finding the first are duties of the system scope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/listing.hpp"

namespace linnet::account {

struct Account {
    std::string doc;       // the account object
    std::string settings;  // the account settings object
};

// A child account as its parent finds it.
struct Child {
    std::int64_t id = 0;
    std::string euuid;
};

class AccountRepository {
  public:
    explicit AccountRepository(store::Transaction& tx) : tx_(tx) {}

    // The transaction's account.
    std::optional<Account> find();
    void save_doc(const std::string& doc);
    void save_settings(const std::string& settings);

    // Adds an account (a child of `parent` when given); answers its id.
    std::int64_t insert(const Account& account, const std::string& euuid,
                        const std::string& created,
                        std::optional<std::int64_t> parent = std::nullopt);
    bool exists(std::int64_t id);
    std::optional<std::int64_t> first_id();

    // Marks the transaction's account cancelled (at `when`).
    void cancel(const std::string& when);
    bool is_cancelled(std::int64_t id);
    // Announces is_cancelled()'s read (Transaction::read_ahead).
    void read_ahead_is_cancelled(std::int64_t id);
    // Every cancelled account (system scope).
    std::vector<std::int64_t> cancelled();

    // The transaction's account's parent, if it is a child account.
    std::optional<std::int64_t> parent_of();
    // Whether the transaction's account has child accounts (not cancelled).
    bool has_children();
    // A child of the transaction's account, by its euuid.
    std::optional<Child> child(const std::string& euuid);
    // The children of the transaction's account, as a list (each row's id; `complete` renders
    // them).
    static store::Listing children_listing();

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::account
