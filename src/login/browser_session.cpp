// Session cookies and posted forms. The cookie is HttpOnly (no script reads it) and
// SameSite=Lax (no other site's form posts it), and CSRF tokens cover what Lax does not.
#include "login/browser_session.hpp"

#include "http/cookie.hpp"

namespace linnet::login {

namespace {
constexpr const char* kCookie = "linnet_session";
}

std::optional<auth::LoginSession> current_session(const http::Request& request,
                                                  store::Transaction& tx) {
    auto value = http::cookie(request, kCookie);
    if (!value) return std::nullopt;
    return auth::find_session(tx, *value);
}

std::optional<auth::LoginSession> current_session(http::Context& ctx) {
    if (!http::cookie(ctx.request, kCookie)) return std::nullopt;
    return current_session(ctx.request, ctx.tx());
}

auth::LoginSession session_for_form(http::Context& ctx, const LoginOptions& options) {
    if (auto session = current_session(ctx)) return *session;
    return auth::start_session(ctx.tx(), std::nullopt, options.anonymous_ttl);
}

void set_session_cookie(http::Response& response, const auth::LoginSession& session,
                        int ttl_seconds) {
    if (session.id.empty()) return;
    response.headers.emplace_back("Set-Cookie", http::set_cookie(kCookie, session.id, ttl_seconds));
}

void clear_session_cookie(http::Response& response) {
    response.headers.emplace_back("Set-Cookie", http::set_cookie(kCookie, "", 0));
}

std::optional<http::FormFields> posted_form(const http::Context& ctx) {
    return http::parse_form(ctx.request.header("content-type").value_or(""), ctx.request.body);
}

bool csrf_ok(const auth::LoginSession& session, const http::FormFields& form) {
    auto token = form.get("csrf_token");
    return token && auth::csrf_matches(session, *token);
}

}  // namespace linnet::login
