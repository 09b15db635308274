// The users table: every statement on it lives in user_repository.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "store/database.hpp"
#include "store/listing.hpp"

namespace linnet::auth {

// The user's latest sign-in attempt.
struct LastLogin {
    std::string datetime;
    std::string status;  // successful | failed
};

struct User {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string username;
    std::string email;
    bool restricted = false;
    std::optional<std::string> password_hash;
    std::optional<std::string> password_created;
    std::string profile;  // the profile document (timezone, lish_auth_method, ...)
    std::string created;
    bool tfa_enabled = false;  // two-factor sign-in is on
    std::optional<std::string> verified_phone_number;
    std::optional<LastLogin> last_login;
    // default, parent (of an account with child accounts), child (of a child account) or proxy
    // (the user through which a parent's users act in a child account).
    std::string user_type = "default";
};

struct NewUser {
    std::string username;
    std::string email;
    bool restricted = false;
    std::string profile;
    std::string created;
};

// Users of the transaction's account (of every account in the system scope: usernames are
// unique across Linnet, so signing in needs no account). New users join the transaction's account.
class UserRepository {
  public:
    explicit UserRepository(store::Transaction& tx) : tx_(tx) {}

    // Answers the new user's id.
    std::int64_t insert(const NewUser& user);
    std::optional<User> find(std::int64_t id);
    std::optional<User> find_by_username(const std::string& username);
    std::optional<std::int64_t> id_of(const std::string& username);
    // Usernames are unique across Linnet (sign-in has no account field): true when any
    // account has a user of this name.
    bool username_taken(const std::string& username);
    // The user created first, if any.
    std::optional<std::int64_t> first_id();
    bool any();

    void set_username(std::int64_t id, const std::string& username);
    void set_email(std::int64_t id, const std::string& email);
    void set_restricted(std::int64_t id, bool restricted);
    void set_profile(std::int64_t id, const std::string& profile);
    // The user's preferences, a JSON object ("{}" before the first are kept).
    std::string preferences(std::int64_t id);
    void set_preferences(std::int64_t id, const std::string& doc);
    void set_password(std::int64_t id, const std::string& hash, const std::string& created);
    void remove(std::int64_t id);
    // Makes the user its account's proxy user; the proxy user of the account, if any.
    void set_proxy(std::int64_t id);
    std::optional<std::int64_t> proxy();

    // Every user, filterable by username, each rendered by `render`.
    static store::Listing listing(std::function<std::string(const User&)> render);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::auth
