// Admin subcommands: tokens, the route table, migrations.
#include <iostream>

#include "account/account_repository.hpp"
#include "account/accounts.hpp"
#include "api/routes.hpp"
#include "auth/principal.hpp"
#include "auth/token.hpp"
#include "auth/user_repository.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "main/options.hpp"
#include "store/migrations.hpp"

namespace linnet::cli {

namespace {

struct TokenOptions {
    StoreOptions store;
    std::string user;
    std::string account;
    std::string scopes = "*";
    std::string label = "linnetd";
    std::string email;  // of a user (and a first account) this creates
};

// Where mail to a user made without an email would go: a name under .localhost (RFC 6761), which
// address checkers accept as a domain with a dot.
std::string default_email(const std::string& username) {
    return username + "@linnet.localhost";
}

// The account --account names (an id or a username of one of its users); with none, the first
// account, created on a new installation.
std::int64_t chosen_account(store::Transaction& tx, const std::string& name,
                            const std::string& email) {
    if (name.empty()) return account::first_or_create(tx, email);
    auto id = account::resolve(tx, name);
    if (!id) throw CLI::ValidationError("--account", "no account " + name);
    return *id;
}

void create_token(const TokenOptions& o) {
    auto scopes = auth::ScopeSet::parse(o.scopes);
    if (!scopes) throw CLI::ValidationError("--scopes", "not a scope list: " + o.scopes);
    if (!o.email.empty() && !valid_email(o.email))
        throw CLI::ValidationError("--email", "not a valid email address: " + o.email);
    auto db = open_store(o.store);
    auto tx = db->begin_in(store::Access::write, store::Scope::system());
    std::int64_t user_id;
    // Usernames are unique across Linnet: an existing user names its own account.
    auto existing =
        o.user.empty() ? std::nullopt : auth::UserRepository(*tx).find_by_username(o.user);
    if (existing) {
        if (!o.account.empty() && account::resolve(*tx, o.account) != existing->account_id)
            throw CLI::ValidationError("--user", o.user + " is a user of another account");
        user_id = existing->id;
    } else {
        const std::int64_t account_id = chosen_account(
            *tx, o.account,
            o.email.empty() ? default_email(o.user.empty() ? "admin" : o.user) : o.email);
        tx->set_scope(store::Scope::account(account_id));
        if (!o.user.empty()) {
            if (!auth::valid_username(o.user))
                throw CLI::ValidationError("--user", "not a valid username: " + o.user);
            user_id = auth::create_user(*tx, o.user,
                                        o.email.empty() ? default_email(o.user) : o.email, false);
        } else {
            auto first = auth::UserRepository(*tx).first_id();
            if (first) {
                user_id = *first;
            } else {
                tx->set_scope(store::Scope::system());
                std::string name = "admin";
                for (int n = 2; auth::UserRepository(*tx).id_of(name); ++n)
                    name = "admin" + std::to_string(n);
                tx->set_scope(store::Scope::account(account_id));
                user_id = auth::create_user(*tx, name,
                                            o.email.empty() ? default_email(name) : o.email, false);
            }
        }
    }
    auto token = auth::create_token(*tx, {user_id, o.label, *scopes, std::nullopt});
    tx->commit();
    std::cout << token.token << std::endl;
}

struct AccountOptions {
    StoreOptions store;
    std::string username;
    std::string email;
    std::string parent;
};

// A new account whose first, unrestricted user is `username`; prints that user's token.
void create_account(const AccountOptions& o) {
    if (!auth::valid_username(o.username))
        throw CLI::ValidationError("USERNAME", "not a valid username: " + o.username);
    if (!valid_email(o.email))
        throw CLI::ValidationError("--email", "not a valid email address: " + o.email);
    auto db = open_store(o.store);
    auto tx = db->begin_in(store::Access::write, store::Scope::system());
    if (auth::UserRepository(*tx).id_of(o.username))
        throw CLI::ValidationError("USERNAME", "a user named " + o.username + " already exists");
    std::optional<std::int64_t> parent;
    if (!o.parent.empty()) {
        parent = account::resolve(*tx, o.parent);
        if (!parent) throw CLI::ValidationError("--parent", "no account " + o.parent);
        tx->set_scope(store::Scope::account(*parent));
        if (account::AccountRepository(*tx).parent_of())
            throw CLI::ValidationError("--parent", o.parent + " is a child account itself");
        tx->set_scope(store::Scope::system());
    }
    const std::int64_t account_id = account::create_account(*tx, o.email, parent);
    tx->set_scope(store::Scope::account(account_id));
    const std::int64_t user_id = auth::create_user(*tx, o.username, o.email, false);
    if (parent) account::add_proxy_user(*tx, account_id);
    auto token =
        auth::create_token(*tx, {user_id, "linnetd", auth::ScopeSet::everything(), std::nullopt});
    tx->commit();
    std::cout << token.token << std::endl;
}

void print_routes() {
    static const api::Environment env;
    const auto router = api::make_router(env);
    std::printf("%-7s %-48s %-36s %s\n", "METHOD", "PATH", "OPERATION", "SCOPE");
    for (const auto& r : router.routes())
        std::printf("%-7s %-48s %-36s %s\n", r.method.c_str(), r.path.c_str(),
                    r.operation_id.c_str(), r.requirement.describe().c_str());
}

}  // namespace

void add_admin(CLI::App& app) {
    auto* token = app.add_subcommand("token", "Personal access tokens");
    token->require_subcommand(1);
    auto token_options = std::make_shared<TokenOptions>();
    auto* create = token->add_subcommand("create", "Print a new personal access token");
    add_store_options(*create, token_options->store);
    create->add_option("--user", token_options->user,
                       "Owner (created when missing; default: the first user)");
    create->add_option("--scopes", token_options->scopes,
                       "Scopes, e.g. '*' or 'linodes:read_only'");
    create->add_option("--label", token_options->label, "Label");
    create->add_option("--account", token_options->account,
                       "Account of a new user (id or a username in it; default: the first)");
    create->add_option("--email", token_options->email,
                       "Email of a user this creates, and of the first account when it makes it "
                       "(default: NAME@linnet.localhost)");
    create->callback([token_options] { create_token(*token_options); });

    auto* account = app.add_subcommand("account", "Accounts (tenants)");
    account->require_subcommand(1);
    auto account_options = std::make_shared<AccountOptions>();
    auto* account_create = account->add_subcommand(
        "create", "Create an account with USERNAME as its first user; print that user's token");
    add_store_options(*account_create, account_options->store);
    account_create->add_option("username", account_options->username, "Username")->required();
    account_create->add_option("--email", account_options->email, "Email address")->required();
    account_create->add_option("--parent", account_options->parent,
                               "Make it a child account of this account (its id or a username "
                               "in it), with a proxy user for the parent's users");
    account_create->callback([account_options] { create_account(*account_options); });

    app.add_subcommand("routes", "Print the route table: method, path, operationId, scope")
        ->callback(print_routes);

    auto migrate_options = std::make_shared<StoreOptions>();
    auto* migrate = app.add_subcommand("migrate", "Apply pending schema migrations");
    add_store_options(*migrate, *migrate_options);
    migrate->callback([migrate_options] {
        auto db = open_store(*migrate_options);
        std::cout << "schema version " << store::schema_version(*db) << std::endl;
    });
}

}  // namespace linnet::cli
