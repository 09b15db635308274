// Statements on the account table.
#include "account/account_repository.hpp"

namespace linnet::account {

namespace statements {
constexpr std::string_view find = "SELECT doc, settings FROM account WHERE id = 1";
constexpr std::string_view exists = "SELECT 1 AS found FROM account WHERE id = 1";
constexpr std::string_view insert = "INSERT INTO account (id, doc, settings) VALUES (1, ?, ?)";
constexpr std::string_view save_doc = "UPDATE account SET doc = ? WHERE id = 1";
constexpr std::string_view save_settings = "UPDATE account SET settings = ? WHERE id = 1";
}  // namespace statements

namespace {

Account from_row(const store::Row& row) {
    return {row.text("doc"), row.text("settings")};
}

}  // namespace

std::optional<Account> AccountRepository::find() {
    auto rows = tx_.query(statements::find);
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

bool AccountRepository::exists() {
    return !tx_.query(statements::exists).empty();
}

void AccountRepository::insert(const Account& account) {
    tx_.execute(statements::insert, {account.doc, account.settings});
}

void AccountRepository::save_doc(const std::string& doc) {
    tx_.execute(statements::save_doc, {doc});
}

void AccountRepository::save_settings(const std::string& settings) {
    tx_.execute(statements::save_settings, {settings});
}

}  // namespace linnet::account
