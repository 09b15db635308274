// Statements on the accounts table.
#include "account/account_repository.hpp"

#include "store/scoped.hpp"

namespace linnet::account {

namespace statements {
constexpr std::string_view find = "SELECT doc, settings FROM accounts WHERE {{account:id}}";
constexpr std::string_view save_doc = "UPDATE accounts SET doc = ? WHERE {{account:id}}";
constexpr std::string_view save_settings = "UPDATE accounts SET settings = ? WHERE {{account:id}}";
constexpr std::string_view insert =
    "INSERT INTO accounts (doc, settings, euuid, created, parent_id) VALUES (?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view parent_of = "SELECT parent_id FROM accounts WHERE {{account:id}}";
constexpr std::string_view has_children =
    "SELECT 1 AS found FROM accounts c WHERE c.parent_id IN (SELECT a.id FROM accounts a WHERE "
    "{{account:a.id}}) AND c.cancelled IS NULL LIMIT 1";
constexpr std::string_view child =
    "SELECT c.id, c.euuid FROM accounts c WHERE c.euuid = ? AND c.cancelled IS NULL AND "
    "c.parent_id IN (SELECT a.id FROM accounts a WHERE {{account:a.id}})";
constexpr std::string_view exists = "SELECT 1 AS found FROM accounts WHERE id = ?";
constexpr std::string_view first_id = "SELECT MIN(id) AS id FROM accounts WHERE cancelled IS NULL";
constexpr std::string_view cancel = "UPDATE accounts SET cancelled = ? WHERE {{account:id}}";
constexpr std::string_view is_cancelled =
    "SELECT 1 AS found FROM accounts WHERE id = ? AND cancelled IS NOT NULL";
constexpr std::string_view cancelled =
    "SELECT id FROM accounts WHERE cancelled IS NOT NULL ORDER BY id";
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

std::int64_t AccountRepository::insert(const Account& account, const std::string& euuid,
                                       const std::string& created,
                                       std::optional<std::int64_t> parent) {
    return tx_
        .query(statements::insert,
               {account.doc, account.settings, euuid, created, store::or_null(parent)})
        .at(0)
        .integer("id");
}

std::optional<std::int64_t> AccountRepository::parent_of() {
    const auto rows = store::scoped_query(tx_, statements::parent_of);
    return rows.empty() ? std::nullopt : rows.front().optional_integer("parent_id");
}

bool AccountRepository::has_children() {
    return !store::scoped_query(tx_, statements::has_children).empty();
}

std::optional<Child> AccountRepository::child(const std::string& euuid) {
    const auto rows = store::scoped_query(tx_, statements::child, {euuid});
    if (rows.empty()) return std::nullopt;
    return Child{rows.front().integer("id"), rows.front().text("euuid")};
}

store::Listing AccountRepository::children_listing() {
    static const filter::Schema kChildren{{}, "id"};
    store::Listing l{"accounts", kChildren,
                     "parent_id IN (SELECT a.id FROM accounts a WHERE {{account:a.id}}) AND "
                     "cancelled IS NULL"};
    l.columns = "id, euuid";
    // Each document is the account's as GET /account makes it: the caller's `complete` renders it.
    l.render = [](const store::Row&) { return std::string(); };
    return l;
}

bool AccountRepository::exists(std::int64_t id) {
    return !tx_.query(statements::exists, {id}).empty();
}

std::optional<std::int64_t> AccountRepository::first_id() {
    return tx_.query(statements::first_id).at(0).optional_integer("id");
}

void AccountRepository::cancel(const std::string& when) {
    store::scoped_execute(tx_, statements::cancel, {when});
}

void AccountRepository::read_ahead_is_cancelled(std::int64_t id) {
    tx_.read_ahead(statements::is_cancelled, {id});
}

bool AccountRepository::is_cancelled(std::int64_t id) {
    return !tx_.query(statements::is_cancelled, {id}).empty();
}

std::vector<std::int64_t> AccountRepository::cancelled() {
    std::vector<std::int64_t> out;
    for (const auto& r : tx_.query(statements::cancelled)) out.push_back(r.integer("id"));
    return out;
}

}  // namespace linnet::account
