// The login service's route table: sign-in pages and the OAuth endpoints, served beside the
// API on the same listener, outside /v4. Its routes need no token; browsers hold a session.
#pragma once

#include "http/router.hpp"
#include "login/browser_session.hpp"

namespace linnet::login {

// Sign-in reads what it checks through `db` in a transaction of its own, so that the slow
// password hash runs while no write lock is held.
void register_sign_in(http::Router& router, const LoginOptions& options, store::Database& db);
void register_authorize(http::Router& router, const LoginOptions& options);
void register_token_endpoint(http::Router& router);

// Every route of the login service, in one table.
http::Router make_login_router(const LoginOptions& options, store::Database& db);

}  // namespace linnet::login
