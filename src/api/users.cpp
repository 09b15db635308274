// /account/users: the users of this installation's one account. Only unrestricted users may
// list, create, change or delete them; a user's grants are in grants.cpp.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "api/users.hpp"
#include "auth/grant_repository.hpp"
#include "auth/grants.hpp"
#include "auth/token_repository.hpp"
#include "auth/user_repository.hpp"
#include "core/json.hpp"
#include "images/image_repository.hpp"
#include "linodes/linode_repository.hpp"
#include "stackscripts/stackscript_repository.hpp"

namespace linnet::api {

namespace json = boost::json;

namespace {

using auth::User;
using auth::UserRepository;

std::string user_doc(const User& user) {
    return to_json(json::object{
        {"email", user.email},
        {"last_login", user.last_login
                           ? json::value(json::object{{"login_datetime", user.last_login->datetime},
                                                      {"status", user.last_login->status}})
                           : json::value(nullptr)},
        {"password_created",
         user.password_created ? json::value(*user.password_created) : json::value(nullptr)},
        {"restricted", user.restricted},
        {"ssh_keys", json::array{}},
        {"tfa_enabled", user.tfa_enabled},
        {"user_type", user.user_type},
        {"username", user.username},
        {"verified_phone_number", user.verified_phone_number
                                      ? json::value(*user.verified_phone_number)
                                      : json::value(nullptr)}});
}

std::string load_user_doc(store::Transaction& tx, const std::string& username) {
    auto user = UserRepository(tx).find_by_username(username);
    if (!user) throw errors::not_found();
    return user_doc(*user);
}

// Checks a new username's shape and that no other user holds it.
void check_username(store::Transaction& tx, BodyReader& reader, const std::string& username) {
    if (!auth::valid_username(username))
        reader.fail("username",
                    "Username must be 3-32 characters of letters, numbers, hyphens and "
                    "underscores, starting and ending with a letter or number, without two "
                    "hyphens or underscores in a row");
    else if (auth::UserRepository(tx).username_taken(username))
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
    UserRepository users(tx);
    if (username) users.set_username(id, *username);
    if (email) users.set_email(id, *email);
    if (restricted) {
        // A user made restricted starts with no grants, as the spec says.
        const bool was = users.find(id).value().restricted;
        if (*restricted && !was) auth::GrantRepository(tx).remove_all(id);
        users.set_restricted(id, *restricted);
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
    if (UserRepository(tx).find(id).value().user_type == "proxy")
        throw errors::bad_request("The proxy user of a child account cannot be deleted",
                                  "username");
    linodes::LinodeRepository(tx).reassign_owner(id, me.user_id);
    images::ImageRepository(tx).reassign_owner(id, me.user_id);
    stackscripts::StackScriptRepository(tx).reassign_owner(id, me.user_id);
    auth::GrantRepository(tx).remove_all(id);
    auth::TokenRepository(tx).remove_for_user(id);
    UserRepository(tx).remove(id);
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
                   return list(ctx, UserRepository::listing(user_doc));
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
