// Admin subcommands: tokens, the route table, migrations.
#include <iostream>

#include "api/routes.hpp"
#include "auth/principal.hpp"
#include "auth/token.hpp"
#include "auth/user_repository.hpp"
#include "core/time.hpp"
#include "main/options.hpp"
#include "store/migrations.hpp"

namespace linnet::cli {

namespace {

struct TokenOptions {
    StoreOptions store;
    std::string user;
    std::string scopes = "*";
    std::string label = "linnetd";
};

void create_token(const TokenOptions& o) {
    auto scopes = auth::ScopeSet::parse(o.scopes);
    if (!scopes) throw CLI::ValidationError("--scopes", "not a scope list: " + o.scopes);
    auto db = open_store(o.store);
    auto tx = db->begin(store::Access::write);
    std::int64_t user_id;
    if (!o.user.empty()) {
        auto found = auth::find_user(*tx, o.user);
        if (found) {
            user_id = *found;
        } else {
            if (!auth::valid_username(o.user))
                throw CLI::ValidationError("--user", "not a valid username: " + o.user);
            user_id = auth::create_user(*tx, o.user, o.user + "@localhost", false);
        }
    } else {
        auto first = auth::UserRepository(*tx).first_id();
        user_id = first ? *first : auth::create_user(*tx, "admin", "admin@localhost", false);
    }
    auto token = auth::create_token(*tx, {user_id, o.label, *scopes, std::nullopt});
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
    create->callback([token_options] { create_token(*token_options); });

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
