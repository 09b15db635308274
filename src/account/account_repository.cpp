// Statements on the accounts table.
#include "account/account_repository.hpp"

#include "store/scoped.hpp"

namespace linnet::account {

namespace statements {
constexpr std::string_view find = "SELECT doc, settings FROM accounts WHERE {{account:id}}";
constexpr std::string_view save_doc = "UPDATE accounts SET doc = ? WHERE {{account:id}}";
constexpr std::string_view save_settings = "UPDATE accounts SET settings = ? WHERE {{account:id}}";
constexpr std::string_view insert =
    "INSERT INTO accounts (doc, settings, created) VALUES (?, ?, ?) RETURNING id";
constexpr std::string_view exists = "SELECT 1 AS found FROM accounts WHERE id = ?";
constexpr std::string_view first_id = "SELECT MIN(id) AS id FROM accounts";
}  // namespace statements

std::optional<Account> AccountRepository::find() {
    if (tx_.scope().is_system()) throw store::StoreError("the system scope has no account");
    auto rows = store::scoped_query(tx_, statements::find);
    if (rows.empty()) return std::nullopt;
    return Account{rows.front().text("doc"), rows.front().text("settings")};
}

void AccountRepository::save_doc(const std::string& doc) {
    store::scoped_execute(tx_, statements::save_doc, {doc});
}

void AccountRepository::save_settings(const std::string& settings) {
    store::scoped_execute(tx_, statements::save_settings, {settings});
}

std::int64_t AccountRepository::insert(const Account& account, const std::string& created) {
    return tx_.query(statements::insert, {account.doc, account.settings, created})
        .at(0)
        .integer("id");
}

bool AccountRepository::exists(std::int64_t id) {
    return !tx_.query(statements::exists, {id}).empty();
}

std::optional<std::int64_t> AccountRepository::first_id() {
    return tx_.query(statements::first_id).at(0).optional_integer("id");
}

}  // namespace linnet::account
