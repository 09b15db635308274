// Statements on the users table.
#include "auth/user_repository.hpp"

#include "store/scoped.hpp"

namespace linnet::auth {

namespace statements {
// Whether two-factor sign-in is on, the verified phone number and the last sign-in are facts of
// two_factor_repository, phone_repository and login_history_repository, read with the user.
constexpr std::string_view columns =
    "id, account_id, username, email, restricted, password_hash, password_created, profile, "
    "created, (SELECT COUNT(*) FROM user_two_factor t WHERE t.user_id = users.id AND t.secret IS "
    "NOT NULL) AS tfa_enabled, (SELECT p.verified_number FROM user_phones p WHERE p.user_id = "
    "users.id) AS verified_phone_number, (SELECT g.datetime FROM logins g WHERE g.user_id = "
    "users.id ORDER BY g.id DESC LIMIT 1) AS last_login_at, (SELECT g.status FROM logins g WHERE "
    "g.user_id = users.id ORDER BY g.id DESC LIMIT 1) AS last_login_status, CASE WHEN "
    "users.proxy = 1 THEN 'proxy' WHEN (SELECT a.parent_id FROM accounts a WHERE a.id = "
    "users.account_id) IS NOT NULL THEN 'child' WHEN EXISTS (SELECT 1 FROM accounts c WHERE "
    "c.parent_id = users.account_id AND c.cancelled IS NULL) THEN 'parent' ELSE 'default' END AS "
    "user_type";
constexpr std::string_view insert =
    "INSERT INTO users (account_id, username, email, restricted, profile, created) VALUES (?, ?, "
    "?, ?, ?, ?) RETURNING id";
const std::string find =
    "SELECT " + std::string(columns) + " FROM users WHERE id = ? AND {{account}}";
const std::string find_by_username =
    "SELECT " + std::string(columns) + " FROM users WHERE username = ? AND {{account}}";
constexpr std::string_view username_taken = "SELECT 1 AS found FROM users WHERE username = ?";
constexpr std::string_view id_of = "SELECT id FROM users WHERE username = ? AND {{account}}";
constexpr std::string_view first_id = "SELECT id FROM users WHERE {{account}} ORDER BY id LIMIT 1";
constexpr std::string_view any = "SELECT 1 AS found FROM users WHERE {{account}} LIMIT 1";
constexpr std::string_view set_username =
    "UPDATE users SET username = ? WHERE id = ? AND {{account}}";
constexpr std::string_view set_email = "UPDATE users SET email = ? WHERE id = ? AND {{account}}";
constexpr std::string_view set_restricted =
    "UPDATE users SET restricted = ? WHERE id = ? AND {{account}}";
constexpr std::string_view set_profile =
    "UPDATE users SET profile = ? WHERE id = ? AND {{account}}";
constexpr std::string_view set_password =
    "UPDATE users SET password_hash = ?, password_created = ? WHERE id = ? AND {{account}}";
constexpr std::string_view remove = "DELETE FROM users WHERE id = ? AND {{account}}";
constexpr std::string_view set_proxy = "UPDATE users SET proxy = 1 WHERE id = ? AND {{account}}";
constexpr std::string_view proxy_of =
    "SELECT id FROM users WHERE proxy = 1 AND {{account}} ORDER BY id LIMIT 1";
constexpr std::string_view preferences =
    "SELECT p.doc AS doc FROM user_preferences p JOIN users u ON u.id = p.user_id WHERE "
    "p.user_id = ? AND {{account:u.account_id}}";
constexpr std::string_view set_preferences =
    "INSERT INTO user_preferences (user_id, doc) SELECT id, ? FROM users WHERE id = ? AND "
    "{{account}} ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kUsers{{
                                {"username", "username", FieldType::text},
                            },
                            "id"};

User from_row(const store::Row& row) {
    User u;
    u.id = row.integer("id");
    u.account_id = row.integer("account_id");
    u.username = row.text("username");
    u.email = row.text("email");
    u.restricted = row.boolean("restricted");
    u.password_hash = row.optional_text("password_hash");
    u.password_created = row.optional_text("password_created");
    u.profile = row.text("profile");
    u.created = row.text("created");
    u.tfa_enabled = row.integer("tfa_enabled") != 0;
    u.verified_phone_number = row.optional_text("verified_phone_number");
    u.user_type = row.text("user_type");
    if (auto at = row.optional_text("last_login_at"))
        u.last_login = LastLogin{*at, row.text("last_login_status")};
    return u;
}

std::optional<User> first(const store::Rows& rows) {
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

}  // namespace

std::int64_t UserRepository::insert(const NewUser& user) {
    return tx_
        .query(statements::insert,
               {tx_.scope().account_id(), user.username, user.email,
                std::int64_t{user.restricted ? 1 : 0}, user.profile, user.created})
        .at(0)
        .integer("id");
}

std::optional<User> UserRepository::find(std::int64_t id) {
    return first(store::scoped_query(tx_, statements::find, {id}));
}

std::optional<User> UserRepository::find_by_username(const std::string& username) {
    return first(store::scoped_query(tx_, statements::find_by_username, {username}));
}

std::optional<std::int64_t> UserRepository::id_of(const std::string& username) {
    auto rows = store::scoped_query(tx_, statements::id_of, {username});
    if (rows.empty()) return std::nullopt;
    return rows.front().integer("id");
}

bool UserRepository::username_taken(const std::string& username) {
    return !tx_.query(statements::username_taken, {username}).empty();
}

std::optional<std::int64_t> UserRepository::first_id() {
    auto rows = store::scoped_query(tx_, statements::first_id);
    if (rows.empty()) return std::nullopt;
    return rows.front().integer("id");
}

bool UserRepository::any() {
    return !store::scoped_query(tx_, statements::any).empty();
}

void UserRepository::set_username(std::int64_t id, const std::string& username) {
    store::scoped_execute(tx_, statements::set_username, {username, id});
}

void UserRepository::set_email(std::int64_t id, const std::string& email) {
    store::scoped_execute(tx_, statements::set_email, {email, id});
}

void UserRepository::set_restricted(std::int64_t id, bool restricted) {
    store::scoped_execute(tx_, statements::set_restricted, {std::int64_t{restricted ? 1 : 0}, id});
}

void UserRepository::set_profile(std::int64_t id, const std::string& profile) {
    store::scoped_execute(tx_, statements::set_profile, {profile, id});
}

std::string UserRepository::preferences(std::int64_t id) {
    auto rows = store::scoped_query(tx_, statements::preferences, {id});
    return rows.empty() ? std::string("{}") : rows.front().text("doc");
}

void UserRepository::set_preferences(std::int64_t id, const std::string& doc) {
    store::scoped_execute(tx_, statements::set_preferences, {doc, id});
}

void UserRepository::set_password(std::int64_t id, const std::string& hash,
                                  const std::string& created) {
    store::scoped_execute(tx_, statements::set_password, {hash, created, id});
}

void UserRepository::set_proxy(std::int64_t id) {
    store::scoped_execute(tx_, statements::set_proxy, {id});
}

std::optional<std::int64_t> UserRepository::proxy() {
    const auto rows = store::scoped_query(tx_, statements::proxy_of);
    if (rows.empty()) return std::nullopt;
    return rows.front().integer("id");
}

void UserRepository::remove(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id});
}

store::Listing UserRepository::listing(std::function<std::string(const User&)> render) {
    store::Listing listing{"users", kUsers, "{{account}}"};
    listing.columns = std::string(statements::columns);
    listing.render = [render = std::move(render)](const store::Row& row) {
        return render(from_row(row));
    };
    return listing;
}

}  // namespace linnet::auth
