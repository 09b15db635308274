// The login service's HTML: plain server-rendered pages with one inline style sheet, no script
// and no external asset, readable on a phone and by a screen reader. Every value is escaped.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/scope.hpp"
#include "http/request.hpp"

namespace linnet::login {

// A page to answer instead of the one asked for (an unknown client, an expired form, ...).
struct PageError {
    int status;
    std::string title;
    std::string message;
};

struct LoginView {
    std::string csrf;
    std::string next;      // where to go once signed in
    std::string username;  // kept when a try failed
    std::string error;     // why the last try failed
};

struct ConsentView {
    std::string app_label;
    std::string app_site;  // the redirect_uri's origin, so the user sees where they are sent
    std::string username;
    std::string csrf;
    std::vector<auth::Scope> scopes;  // what the app asks for, each a checkbox
    // The authorization request, carried through the form unchanged.
    std::vector<std::pair<std::string, std::string>> request;
};

std::string login_page(const LoginView& view);
// The second step of a sign-in with two-factor authentication: the code of the user's app (or
// the scratch code), and whether to trust this browser. `view.username` is whose code it is.
std::string two_factor_page(const LoginView& view);
std::string signed_in_page(const std::string& username, const std::string& csrf);
std::string logout_page(const std::string& csrf);
std::string consent_page(const ConsentView& view);
std::string error_page(const PageError& error);

// A page as a response: no caching, no framing, no referrer, nothing loaded from elsewhere.
http::Response html(std::string page, int status = 200);
// 303 See Other to location.
http::Response redirect(const std::string& location);

// &, <, >, " and ' as entities.
std::string escape(std::string_view text);

}  // namespace linnet::login
