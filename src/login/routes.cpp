// Assembles the login service's route table.
// Operation ids name each route for logs; the spec has none for these.
#include "login/routes.hpp"

namespace linnet::login {

http::Router make_login_router(const LoginOptions& options, store::Database& db) {
    http::Router router;
    register_sign_in(router, options, db);
    register_authorize(router, options);
    register_token_endpoint(router);
    return router;
}

}  // namespace linnet::login
