// /account/users: the users of this installation's one account. Only unrestricted users may
// list, create, change or delete them; a user's grants are in grants.cpp.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "api/users.hpp"
#include "auth/grants.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace json = boost::json;

namespace {

using filter::FieldType;

const filter::Schema kUsers{{
                                {"username", "username", FieldType::text},
                            },
                            "id"};

const char* kUserColumns = "username, email, restricted, password_created";

std::string user_doc(const store::Row& row) {
    return to_json(json::object{
        {"email", row.text(1)},
        {"last_login", nullptr},
        {"password_created", row.is_null(3) ? json::value(nullptr) : json::value(row.text(3))},
        {"restricted", row.boolean(2)},
        {"ssh_keys", json::array{}},
        {"tfa_enabled", false},
        {"user_type", "default"},
        {"username", row.text(0)},
        {"verified_phone_number", nullptr}});
}

std::string load_user_doc(store::Transaction& tx, const std::string& username) {
    auto rows = tx.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?",
                         {username});
    if (rows.empty()) throw errors::not_found();
    return user_doc(rows.front());
}

// Checks a new username's shape and that no other user holds it.
void check_username(store::Transaction& tx, BodyReader& reader, const std::string& username) {
    if (!auth::valid_username(username))
        reader.fail("username",
                    "Username must be 3-32 characters of letters, numbers, hyphens and "
                    "underscores, starting and ending with a letter or number, without two "
                    "hyphens or underscores in a row");
    else if (auth::find_user(tx, username))
        reader.fail("username", "Username is already taken");
}

void check_email(BodyReader& reader, const std::optional<std::string>& email) {
    if (email && !valid_email(*email)) reader.fail("email", "email must be a valid email address");
}

http::Response create(http::Context& ctx) {
    auth::require_unrestricted(ctx.caller());
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto username = reader.string("username", {true});
    auto email = reader.string("email", {true, 3, 128});
    const bool restricted = reader.boolean("restricted").value_or(false);
    if (username) check_username(ctx.tx(), reader, *username);
    check_email(reader, email);
    reader.finish();
    auth::create_user(ctx.tx(), *username, *email, restricted);
    return http::Response::json(load_user_doc(ctx.tx(), *username));
}

http::Response update(http::Context& ctx) {
    auth::require_unrestricted(ctx.caller());
    const std::int64_t id = user_id_of(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto username = reader.string("username");
    auto email = reader.string("email", {false, 3, 128});
    auto restricted = reader.boolean("restricted");
    if (username && *username != ctx.param("username")) check_username(ctx.tx(), reader, *username);
    check_email(reader, email);
    reader.finish();
    auto& tx = ctx.tx();
    if (username) tx.execute("UPDATE users SET username = ? WHERE id = ?", {*username, id});
    if (email) tx.execute("UPDATE users SET email = ? WHERE id = ?", {*email, id});
    if (restricted) {
        // A user made restricted starts with no grants, as the spec says.
        const bool was =
            tx.query("SELECT restricted FROM users WHERE id = ?", {id}).at(0).boolean(0);
        if (*restricted && !was) {
            tx.execute("DELETE FROM global_grants WHERE user_id = ?", {id});
            tx.execute("DELETE FROM entity_grants WHERE user_id = ?", {id});
        }
        tx.execute("UPDATE users SET restricted = ? WHERE id = ?",
                   {std::int64_t{*restricted ? 1 : 0}, id});
    }
    return http::Response::json(load_user_doc(tx, username.value_or(ctx.param("username"))));
}

// The account owns what a user made: the deleted user's Linodes and images pass to the caller.
http::Response remove(http::Context& ctx) {
    const auto& me = ctx.caller();
    auth::require_unrestricted(me);
    const std::int64_t id = user_id_of(ctx);
    if (id == me.user_id) throw errors::bad_request("You cannot delete your own user", "username");
    auto& tx = ctx.tx();
    tx.execute("UPDATE linodes SET user_id = ? WHERE user_id = ?", {me.user_id, id});
    tx.execute("UPDATE images SET owner_user_id = ? WHERE owner_user_id = ?", {me.user_id, id});
    tx.execute("DELETE FROM global_grants WHERE user_id = ?", {id});
    tx.execute("DELETE FROM entity_grants WHERE user_id = ?", {id});
    tx.execute("DELETE FROM tokens WHERE user_id = ?", {id});
    tx.execute("DELETE FROM users WHERE id = ?", {id});
    return http::Response::json("{}");
}

}  // namespace

std::int64_t user_id_of(http::Context& ctx) {
    auto id = auth::find_user(ctx.tx(), ctx.param("username"));
    if (!id) throw errors::not_found();
    return *id;
}

void register_users(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/account/users", "get-users", Requirement::of("account:read_only"),
               [](http::Context& ctx) {
                   auth::require_unrestricted(ctx.caller());
                   return list(ctx, rendered({"users", kUsers}, kUserColumns, user_doc));
               });
    router.add("POST", "/account/users", "post-user", Requirement::of("account:read_write"),
               create);
    router.add("GET", "/account/users/{username}", "get-user", Requirement::of("account:read_only"),
               [](http::Context& ctx) {
                   auth::require_unrestricted(ctx.caller());
                   return http::Response::json(load_user_doc(ctx.tx(), ctx.param("username")));
               });
    router.add("PUT", "/account/users/{username}", "put-user",
               Requirement::of("account:read_write"), update);
    router.add("DELETE", "/account/users/{username}", "delete-user",
               Requirement::of("account:read_write"), remove);
}

}  // namespace linnet::api
