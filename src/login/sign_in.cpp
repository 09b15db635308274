// GET/POST /login and GET/POST /logout. Failed sign-ins count per username and per address;
// success starts a new session rather than reusing one whose id a third party may have planted.
#include <algorithm>
#include <cctype>

#include "account/account_repository.hpp"
#include "auth/hashers.hpp"
#include "auth/login_history_repository.hpp"
#include "auth/login_throttle.hpp"
#include "auth/passwords.hpp"
#include "auth/two_factor.hpp"
#include "auth/two_factor_repository.hpp"
#include "auth/user_repository.hpp"
#include "core/time.hpp"
#include "http/cookie.hpp"
#include "login/pages.hpp"
#include "login/routes.hpp"

namespace linnet::login {

namespace {

// Where to go after signing in: a path on this site only, never another origin.
std::string safe_next(const std::optional<std::string>& next) {
    if (!next || next->empty() || next->size() > 4096 || next->front() != '/') return "";
    if (next->size() > 1 && ((*next)[1] == '/' || (*next)[1] == '\\')) return "";
    for (char c : *next)
        if (static_cast<unsigned char>(c) < 0x20 || c == '\\') return "";
    return *next;
}

http::Response login_form(const auth::LoginSession& session, const LoginOptions& options,
                          LoginView view, int status) {
    view.csrf = session.csrf;
    http::Response r = html(login_page(view), status);
    set_session_cookie(r, session, options.anonymous_ttl);
    return r;
}

// Whose failed sign-ins these are (usernames are compared without case).
std::string user_subject(const std::string& username) {
    std::string lowered = username;
    for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return "user:" + lowered;
}

// The cookie of a browser the user trusts to skip the two-factor code.
constexpr std::string_view kDeviceCookie = "linnet_device";

// Signs the user in: a new session, and on to where they were going.
http::Response signed_in(http::Context& ctx, std::int64_t user_id, const std::string& next,
                         const LoginOptions& options) {
    const auto session = auth::start_session(ctx.tx(), user_id, options.session_ttl);
    http::Response r = redirect(next.empty() ? "/login" : next);
    set_session_cookie(r, session, options.session_ttl);
    return r;
}

http::Response show_login(http::Context& ctx, const LoginOptions& options) {
    const auto session = session_for_form(ctx, options);
    const std::string next = safe_next(std::string(ctx.query_param("next").value_or("")));
    if (session.user_id) {
        if (!next.empty()) return redirect(next);
        return html(signed_in_page(session.username, session.csrf));
    }
    return login_form(session, options, {"", next, "", ""}, 200);
}

// What a sign-in attempt is checked against, read before anything is written.
struct Attempt {
    std::optional<auth::LoginSession> session;
    int wait = 0;  // seconds of lockout left
    std::optional<std::int64_t> user_id;
    std::optional<std::string> password_hash;
    std::int64_t account_id = 0;
    std::string username;  // as the user has it
    bool restricted = false;
};

// Reads the attempt and, when the form is genuine and no lockout holds, reserves it: the attempt
// counts as a failure from this commit on, before the password is checked, so that parallel
// guesses see each other and no more of them pass than one after another would.
Attempt reserve_attempt(store::Database& db, const http::Request& request,
                        const std::optional<http::FormFields>& form, const std::string& username,
                        const std::string& by_user, const std::string& by_address) {
    auto tx = db.begin_in(store::Access::write, store::Scope::system());
    Attempt a;
    a.session = current_session(request, *tx);
    // The user's lock before the address's, as where failures are recorded.
    const auto user_wait = auth::lockout_remaining(*tx, by_user);
    a.wait = std::max(user_wait, auth::lockout_remaining(*tx, by_address));
    // The users of a cancelled account sign in no more.
    if (auto user = auth::UserRepository(*tx).find_by_username(username.substr(0, 64));
        user && !account::AccountRepository(*tx).is_cancelled(user->account_id)) {
        a.user_id = user->id;
        a.password_hash = user->password_hash;
        a.account_id = user->account_id;
        a.username = user->username;
        a.restricted = user->restricted;
    }
    if (form && a.session && csrf_ok(*a.session, *form) && a.wait == 0) {
        auth::record_failure(*tx, by_user, auth::kPerUsername);
        auth::record_failure(*tx, by_address, auth::kPerAddress);
    }
    tx->commit();
    return a;
}

http::Response sign_in(http::Context& ctx, store::Database& db, const LoginOptions& options) {
    auto form = posted_form(ctx);
    const std::string username = form ? form->get("username").value_or("") : "";
    const std::string password = form ? form->get("password").value_or("") : "";
    const std::string next = safe_next(form ? form->get("next") : std::nullopt);
    const std::string by_user = user_subject(username);
    const std::string by_address = "address:" + ctx.request.remote_address;
    // A form that came from our page takes a place among the password hashers first: when
    // there is none, nothing is written and nothing is counted. A form that did not come from our
    // page is answered below without one.
    bool genuine = false;
    if (form) {
        auto tx = db.begin_in(store::Access::read, store::Scope::system());
        const auto session = current_session(ctx.request, *tx);
        genuine = session && csrf_ok(*session, *form);
    }
    std::optional<auth::Hashers::Ticket> ticket;
    const std::string* decoy = nullptr;
    try {
        if (genuine) {
            decoy = &auth::decoy_password_hash();
            ticket.emplace(auth::hashers());
        }
    } catch (const auth::HashersBusy&) {
        http::Response r = html(error_page({503, "Sign-in is busy",
                                            "Too many sign-ins are being checked right now. "
                                            "Please go back and try again in a moment."}),
                                503);
        r.headers.emplace_back("Retry-After", "1");
        return r;
    }
    const Attempt attempt = reserve_attempt(db, ctx.request, form, username, by_user, by_address);

    if (!form || !attempt.session || !csrf_ok(*attempt.session, *form)) {
        // No proof that this form came from our page: show a fresh one.
        const auto fresh = auth::start_session(ctx.tx(), std::nullopt, options.anonymous_ttl);
        return login_form(fresh, options,
                          {"", next, username,
                           "The sign-in form expired or did not come from this site. Please try "
                           "again."},
                          403);
    }
    const auto& session = *attempt.session;
    if (attempt.wait > 0) {
        const int wait = attempt.wait;
        http::Response r =
            login_form(session, options,
                       {"", next, username,
                        "Too many failed sign-in attempts. Try again in " + std::to_string(wait) +
                            " second" + (wait == 1 ? "" : "s") + "."},
                       429);
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return r;
    }

    if (!ticket) {  // the session became genuine in between: try again
        http::Response r = html(error_page({503, "Sign-in is busy", "Please try again."}), 503);
        r.headers.emplace_back("Retry-After", "1");
        return r;
    }
    // The slow part, with no transaction open.
    bool verified = false;
    if (attempt.password_hash)
        verified =
            !password.empty() && auth::verify_password(*ticket, *attempt.password_hash, password);
    else
        auth::verify_password(*ticket, *decoy, password);  // an unknown user costs as much
    // The sign-in is its user's account's to see, whichever way it went.
    if (attempt.user_id)
        auth::LoginHistoryRepository(ctx.tx()).record({attempt.account_id, *attempt.user_id,
                                                       attempt.username, ctx.request.remote_address,
                                                       now_utc(), verified, attempt.restricted});
    if (!verified)  // the reserved failure stands
        return login_form(session, options, {"", next, username, "Wrong username or password."},
                          401);
    const bool needs_code =
        auth::two_factor::enabled(ctx.tx(), *attempt.user_id) &&
        !auth::two_factor::trusted(ctx.tx(), *attempt.user_id,
                                   http::cookie(ctx.request, kDeviceCookie).value_or(""),
                                   ctx.request.remote_address);
    // The right password takes back its own reserved failure; the user's earlier failures
    // (wrong codes among them) are forgotten only once the sign-in is complete.
    if (needs_code)
        auth::withdraw_failure(ctx.tx(), by_user, auth::kPerUsername);
    else
        auth::forget_failures(ctx.tx(), by_user);
    auth::withdraw_failure(ctx.tx(), by_address, auth::kPerAddress);
    auth::end_session(ctx.tx(), session);
    if (needs_code) {
        // The password was right: the code comes next, in a session that holds only that.
        const auto waiting =
            auth::start_session(ctx.tx(), std::nullopt, options.anonymous_ttl, attempt.user_id);
        http::Response r = html(two_factor_page({waiting.csrf, next, attempt.username, ""}));
        set_session_cookie(r, waiting, options.anonymous_ttl);
        return r;
    }
    return signed_in(ctx, *attempt.user_id, next, options);
}

// POST /login/tfa: the code of a sign-in whose password was taken. A wrong code counts as a
// failed sign-in of the user (the same lockout as passwords).
http::Response two_factor(http::Context& ctx, const LoginOptions& options) {
    auto form = posted_form(ctx);
    const auto session = current_session(ctx);
    const std::string next = safe_next(form ? form->get("next") : std::nullopt);
    if (!form || !session || !csrf_ok(*session, *form) || !session->tfa_user_id) {
        const auto fresh = auth::start_session(ctx.tx(), std::nullopt, options.anonymous_ttl);
        return login_form(fresh, options,
                          {"", next, "",
                           "The sign-in form expired or did not come from this site. Please sign "
                           "in again."},
                          403);
    }
    const std::int64_t user_id = *session->tfa_user_id;
    const std::string by_user = user_subject(session->tfa_username);
    auto page = [&](const std::string& error, int status) {
        http::Response r =
            html(two_factor_page({session->csrf, next, session->tfa_username, error}), status);
        return r;
    };
    // One code of a user is judged at a time (its row locked), after the lockout is read.
    auth::TwoFactorRepository(ctx.tx()).find(user_id);
    if (const int wait = auth::lockout_remaining(ctx.tx(), by_user); wait > 0) {
        http::Response r = page("Too many failed sign-in attempts. Try again in " +
                                    std::to_string(wait) + " second" + (wait == 1 ? "" : "s") + ".",
                                429);
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return r;
    }
    if (!auth::two_factor::take_code(ctx.tx(), user_id, form->get("code").value_or(""))) {
        auth::record_failure(ctx.tx(), by_user, auth::kPerUsername);
        return page("That code is not right. Enter the code your app shows now.", 401);
    }
    auth::forget_failures(ctx.tx(), by_user);
    auth::end_session(ctx.tx(), *session);
    http::Response r = signed_in(ctx, user_id, next, options);
    if (form->get("trust").value_or("") == "yes") {
        const auto agent = ctx.request.header("user-agent");
        const std::string token = auth::two_factor::trust_device(
            ctx.tx(), user_id, agent ? std::string(*agent) : "", ctx.request.remote_address);
        r.headers.emplace_back(
            "Set-Cookie", http::set_cookie(kDeviceCookie, token, auth::two_factor::kTrustSeconds));
    }
    return r;
}

http::Response show_logout(http::Context& ctx) {
    const auto session = current_session(ctx);
    if (!session || !session->user_id) return redirect("/login");
    return html(logout_page(session->csrf));
}

http::Response sign_out(http::Context& ctx) {
    auto form = posted_form(ctx);
    auto session = current_session(ctx);
    if (!session) return redirect("/login");
    if (!form || !csrf_ok(*session, *form))
        return html(error_page({403, "Sign out failed",
                                "The sign-out form expired or did not come from this site."}),
                    403);
    auth::end_session(ctx.tx(), *session);
    http::Response r = redirect("/login");
    clear_session_cookie(r);
    return r;
}

}  // namespace

void register_sign_in(http::Router& router, const LoginOptions& options, store::Database& db) {
    const auto open = auth::Requirement::open();
    router.add("GET", "/login", "login-form", open,
               [options](http::Context& ctx) { return show_login(ctx, options); });
    router.add("POST", "/login", "login", open,
               [options, &db](http::Context& ctx) { return sign_in(ctx, db, options); });
    router.hashes_passwords("POST", "/login");
    router.add("POST", "/login/tfa", "login-two-factor", open,
               [options](http::Context& ctx) { return two_factor(ctx, options); });
    router.add("GET", "/logout", "logout-form", open, show_logout);
    router.add("POST", "/logout", "logout", open, sign_out);
}

}  // namespace linnet::login
