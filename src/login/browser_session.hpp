// The login service's side of a browser: which session its cookie names, the cookie to set
// when a session starts or ends, and the form it posted with that session's CSRF token.
#pragma once

#include <optional>
#include <string>

#include "auth/login_session.hpp"
#include "http/form.hpp"
#include "http/request.hpp"

namespace linnet::login {

struct LoginOptions {
    int code_ttl = 600;           // seconds an authorization code stays valid
    int session_ttl = 12 * 3600;  // seconds a signed-in session lasts
    int anonymous_ttl = 3600;     // seconds a form's session lasts before sign-in
};

// The session the request's cookie names, if it is live.
std::optional<auth::LoginSession> current_session(http::Context& ctx);
// The same, read in a transaction of the caller's choosing.
std::optional<auth::LoginSession> current_session(const http::Request& request,
                                                  store::Transaction& tx);

// The request's session, or a new anonymous one (whose `id` is then set: send its cookie).
auth::LoginSession session_for_form(http::Context& ctx, const LoginOptions& options);

// Adds the Set-Cookie of a session that was just started (one with an `id`).
void set_session_cookie(http::Response& response, const auth::LoginSession& session,
                        int ttl_seconds);
// Adds a Set-Cookie that deletes the session cookie.
void clear_session_cookie(http::Response& response);

// The posted form; nullopt when the body is not a form.
std::optional<http::FormFields> posted_form(const http::Context& ctx);

// True when the form's csrf_token is the session's.
bool csrf_ok(const auth::LoginSession& session, const http::FormFields& form);

}  // namespace linnet::login
