// Admin subcommands for users: `user create NAME --email EMAIL [--restricted]` and
// `user passwd NAME`, which reads the new password from standard input (one line).
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "account/accounts.hpp"
#include "auth/passwords.hpp"
#include "auth/principal.hpp"
#include "auth/user_repository.hpp"
#include "core/json.hpp"
#include "main/options.hpp"

namespace linnet::cli {

namespace {

struct UserOptions {
    StoreOptions store;
    std::string name;
    std::string email;
    std::string account;
    bool restricted = false;
};

// Tells the admin what went wrong on standard error and exits with status 1.
[[noreturn]] void refuse(const std::string& message) {
    std::cerr << "linnetd: " << message << std::endl;
    throw CLI::RuntimeError(1);
}

void create_user(const UserOptions& o) {
    if (!auth::valid_username(o.name))
        refuse("not a valid username: " + o.name +
               " (3-32 letters, digits, - and _, starting and ending with a letter or digit)");
    if (!valid_email(o.email)) refuse("not a valid email address: " + o.email);
    auto db = open_store(o.store);
    auto tx = db->begin_in(store::Access::write, store::Scope::system());
    // Usernames are unique across Linnet (the sign-in form has no account field).
    if (auth::find_user(*tx, o.name)) refuse("a user named " + o.name + " already exists");
    std::int64_t account_id;
    if (o.account.empty()) {
        account_id = account::first_or_create(*tx, o.email);
    } else {
        auto found = account::resolve(*tx, o.account);
        if (!found) refuse("no account " + o.account);
        account_id = *found;
    }
    tx->set_scope(store::Scope::account(account_id));
    // Someone must be able to grant: the first user of an account is unrestricted.
    if (o.restricted && !auth::UserRepository(*tx).any())
        refuse("the first user must be unrestricted; create it without --restricted");
    auth::create_user(*tx, o.name, o.email, o.restricted);
    tx->commit();
    std::cout << "created " << (o.restricted ? "restricted" : "unrestricted") << " user " << o.name
              << std::endl;
}

// One line from standard input, without echo when it is a terminal.
std::string read_password() {
    const bool terminal = isatty(STDIN_FILENO) != 0;
    termios saved{};
    if (terminal) {
        std::cerr << "New password: " << std::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << std::endl;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

void change_password(const UserOptions& o) {
    const std::string password = read_password();
    if (password.empty()) refuse("no password given on standard input");
    if (auto problem = auth::password_problem(password)) refuse("password rejected: " + *problem);
    auto db = open_store(o.store);
    auto tx = db->begin_in(store::Access::write, store::Scope::system());
    auto user_id = auth::find_user(*tx, o.name);
    if (!user_id) refuse("no user named " + o.name);
    auth::set_password(*tx, *user_id, password);
    tx->commit();
    std::cout << "password set for " << o.name << std::endl;
}

}  // namespace

void add_users(CLI::App& app) {
    auto* user = app.add_subcommand("user", "Users of the account");
    user->require_subcommand(1);

    auto create_options = std::make_shared<UserOptions>();
    auto* create = user->add_subcommand("create", "Create a user");
    add_store_options(*create, create_options->store);
    create->add_option("name", create_options->name, "Username")->required();
    create->add_option("--email", create_options->email, "Email address")->required();
    create->add_option("--account", create_options->account,
                       "Account (id or a username in it; default: the first account)");
    create->add_flag("--restricted", create_options->restricted,
                     "Restricted: reaches only what its grants allow");
    create->callback([create_options] { create_user(*create_options); });

    auto passwd_options = std::make_shared<UserOptions>();
    auto* passwd = user->add_subcommand("passwd", "Set a user's password, read from stdin");
    add_store_options(*passwd, passwd_options->store);
    passwd->add_option("name", passwd_options->name, "Username")->required();
    passwd->callback([passwd_options] { change_password(*passwd_options); });
}

}  // namespace linnet::cli
