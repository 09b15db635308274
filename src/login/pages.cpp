// Page templates. The style sheet is inline (the Content-Security-Policy allows exactly it by
// hash), the layout is one column that fits a 320 px screen, and forms use real labels.
#include "login/pages.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <map>

namespace linnet::login {

namespace {

const char* kStyle = R"css(
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
background:#f3f5f7;color:#1b1f24}
main{max-width:30rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;
box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.5rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password]{width:100%;padding:.65rem;font-size:1rem;
border:1px solid #6b7580;border-radius:4px}
button{min-height:44px;padding:.6rem 1.2rem;font-size:1rem;border-radius:4px;
border:1px solid #0b5394;background:#0b5394;color:#fff;cursor:pointer;margin-top:1rem}
button.secondary{background:#fff;color:#0b5394}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.error{background:#fdecea;border-left:4px solid #b3261e;padding:.6rem .8rem;margin:0 0 1rem}
fieldset{border:1px solid #c5ccd3;border-radius:4px;padding:.5rem 1rem;margin:1rem 0}
legend{font-weight:600;padding:0 .3rem}
.scope{display:flex;gap:.6rem;align-items:flex-start;padding:.4rem 0}
.scope input{width:1.3rem;height:1.3rem;margin-top:.15rem;flex:none}
.scope label{display:inline;font-weight:400;margin:0}
.actions{display:flex;gap:.75rem;flex-wrap:wrap}
.muted{color:#4a525b;font-size:.9rem}
@media (prefers-color-scheme:dark){body{background:#14171a;color:#e6e9ec}
main{background:#1f2428}.muted{color:#aeb6bf}.error{background:#3b1d1b}
button.secondary{background:#1f2428;color:#8cc4ff}button{border-color:#8cc4ff}
input[type=text],input[type=password]{background:#14171a;color:#e6e9ec}}
)css";

// 'sha256-...' of the style sheet, computed once, for the Content-Security-Policy.
const std::string& style_hash() {
    static const std::string hash = [] {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        const std::string_view style(kStyle);
        EVP_Digest(style.data(), style.size(), digest, &size, EVP_sha256(), nullptr);
        std::string b64(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
        sodium_bin2base64(b64.data(), b64.size(), digest, size, sodium_base64_VARIANT_ORIGINAL);
        b64.resize(b64.find('\0'));
        return "'sha256-" + b64 + "'";
    }();
    return hash;
}

std::string layout(std::string_view title, const std::string& body) {
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
    out += escape(title);
    out += " · Linnet</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head>\n<body>\n<main>\n";
    out += body;
    out += "</main>\n</body>\n</html>\n";
    return out;
}

std::string hidden(std::string_view name, std::string_view value) {
    return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) +
           "\">\n";
}

std::string error_box(const std::string& error) {
    if (error.empty()) return "";
    return "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>\n";
}

std::string area_name(const std::string& area) {
    static const std::map<std::string, std::string> names = {
        {"account", "Account (billing, users, settings)"},
        {"child_account", "Child accounts"},
        {"databases", "Databases"},
        {"domains", "Domains"},
        {"events", "Events"},
        {"firewall", "Firewalls"},
        {"images", "Images"},
        {"ips", "IP addresses"},
        {"linodes", "Linodes"},
        {"lke", "Kubernetes clusters"},
        {"longview", "Longview"},
        {"nodebalancers", "NodeBalancers"},
        {"object_storage", "Object Storage"},
        {"placement", "Placement groups"},
        {"stackscripts", "StackScripts"},
        {"volumes", "Volumes"},
        {"vpc", "VPCs"}};
    auto it = names.find(area);
    return it == names.end() ? area : it->second;
}

}  // namespace

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string login_page(const LoginView& view) {
    std::string body = "<h1>Sign in to Linnet</h1>\n" + error_box(view.error);
    body += "<form method=\"post\" action=\"/login\">\n";
    body += hidden("csrf_token", view.csrf);
    body += hidden("next", view.next);
    body +=
        "<label for=\"username\">Username</label>\n"
        "<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" "
        "autocapitalize=\"none\" spellcheck=\"false\" required value=\"" +
        escape(view.username) + "\"" + (view.username.empty() ? " autofocus" : "") + ">\n";
    body += std::string(
                "<label for=\"password\">Password</label>\n"
                "<input type=\"password\" id=\"password\" name=\"password\" "
                "autocomplete=\"current-password\" required") +
            (view.username.empty() ? "" : " autofocus") + ">\n";
    body += "<button type=\"submit\">Sign in</button>\n</form>\n";
    return layout("Sign in", body);
}

std::string two_factor_page(const LoginView& view) {
    std::string body = "<h1>Two-factor authentication</h1>\n" + error_box(view.error);
    body += "<p>Enter the code your authenticator app shows for <strong>" + escape(view.username) +
            "</strong>, or your scratch code.</p>\n";
    body += "<form method=\"post\" action=\"/login/tfa\">\n";
    body += hidden("csrf_token", view.csrf);
    body += hidden("next", view.next);
    body +=
        "<label for=\"code\">Code</label>\n"
        "<input type=\"text\" id=\"code\" name=\"code\" autocomplete=\"one-time-code\" "
        "inputmode=\"numeric\" autocapitalize=\"none\" spellcheck=\"false\" required "
        "autofocus>\n";
    body +=
        "<div class=\"scope\"><input type=\"checkbox\" id=\"trust\" name=\"trust\" "
        "value=\"yes\"><label for=\"trust\">Trust this browser for 30 days</label></div>\n";
    body += "<button type=\"submit\">Verify</button>\n</form>\n";
    return layout("Two-factor authentication", body);
}

std::string signed_in_page(const std::string& username, const std::string& csrf) {
    std::string body = "<h1>You are signed in</h1>\n<p>Signed in as <strong>" + escape(username) +
                       "</strong>.</p>\n";
    body += "<form method=\"post\" action=\"/logout\">\n" + hidden("csrf_token", csrf);
    body += "<button type=\"submit\" class=\"secondary\">Sign out</button>\n</form>\n";
    return layout("Signed in", body);
}

std::string logout_page(const std::string& csrf) {
    std::string body = "<h1>Sign out</h1>\n<p>Sign out of Linnet on this browser?</p>\n";
    body += "<form method=\"post\" action=\"/logout\">\n" + hidden("csrf_token", csrf);
    body += "<button type=\"submit\">Sign out</button>\n</form>\n";
    return layout("Sign out", body);
}

std::string consent_page(const ConsentView& view) {
    std::string body = "<h1>Authorize " + escape(view.app_label) + "</h1>\n";
    body += "<p><strong>" + escape(view.app_label) +
            "</strong> asks for access to your Linnet account, <strong>" + escape(view.username) +
            "</strong>. It will be sent back to <strong>" + escape(view.app_site) +
            "</strong>.</p>\n";
    body += "<form method=\"post\" action=\"/oauth/authorize\">\n";
    body += hidden("csrf_token", view.csrf);
    for (const auto& [name, value] : view.request) body += hidden(name, value);
    body +=
        "<fieldset>\n<legend>Permissions it asks for</legend>\n"
        "<p class=\"muted\" id=\"scopes-help\">Uncheck what you do not want to grant.</p>\n";
    for (std::size_t i = 0; i < view.scopes.size(); ++i) {
        const auto& scope = view.scopes[i];
        const std::string id = "scope-" + std::to_string(i);
        const std::string what = scope.level == auth::Level::read_write
                                     ? "view, create, change and delete"
                                     : "view only";
        body += "<div class=\"scope\"><input type=\"checkbox\" name=\"scope\" id=\"" + id +
                "\" value=\"" + escape(scope.str()) +
                "\" checked aria-describedby=\"scopes-help\"><label for=\"" + id + "\">" +
                escape(area_name(scope.area)) + ": " + what + " <span class=\"muted\">(" +
                escape(scope.str()) + ")</span></label></div>\n";
    }
    body += "</fieldset>\n<div class=\"actions\">\n";
    body += "<button type=\"submit\" name=\"decision\" value=\"approve\">Authorize</button>\n";
    body +=
        "<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny"
        "</button>\n</div>\n</form>\n";
    return layout("Authorize " + view.app_label, body);
}

std::string error_page(const PageError& error) {
    std::string body = "<h1>" + escape(error.title) + "</h1>\n";
    body += "<p role=\"alert\">" + escape(error.message) + "</p>\n";
    return layout(error.title, body);
}

http::Response html(std::string page, int status) {
    http::Response r;
    r.status = status;
    r.body = std::move(page);
    r.content_type = "text/html; charset=utf-8";
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src " + style_hash() +
                               "; frame-ancestors 'none'; base-uri 'none'");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    return r;
}

http::Response redirect(const std::string& location) {
    http::Response r;
    r.status = 303;
    r.body.clear();
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Location", location);
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    return r;
}

}  // namespace linnet::login
