// GET/POST /oauth/authorize: the consent page and the user's answer. A bad client_id or
// redirect_uri is an error page, never a redirect; other problems go back to the app (RFC 6749).
#include <functional>

#include "auth/oauth_codes.hpp"
#include "auth/oauth_error.hpp"
#include "auth/oauth_tokens.hpp"
#include "auth/pkce.hpp"
#include "login/pages.hpp"
#include "login/routes.hpp"

namespace linnet::login {

namespace {

using Lookup = std::function<std::optional<std::string>(const std::string&)>;

// An authorization request whose client and redirect_uri are known good.
struct AuthorizationRequest {
    auth::OAuthClient client;
    std::string redirect_uri;
    bool implicit = false;  // response_type=token
    std::string state;
    std::optional<auth::ScopeSet> scopes;
    std::optional<std::string> code_challenge;
    // Set when the request must be refused back to the app.
    std::optional<auth::OAuthError> problem;
    // The parameters to carry through the consent form.
    std::vector<std::pair<std::string, std::string>> echo;
};

AuthorizationRequest read_request(store::Transaction& tx, const Lookup& param) {
    const auto client_id = param("client_id");
    if (!client_id || client_id->empty())
        throw PageError{400, "Missing client", "The app did not say which app it is (client_id)."};
    auto client = auth::find_client(tx, *client_id);
    if (!client || client->status != "active")
        throw PageError{400, "Unknown app", "No app is registered with this client_id."};
    const auto redirect_uri = param("redirect_uri");
    if (redirect_uri && !auth::redirect_uri_matches(client->redirect_uri, *redirect_uri))
        throw PageError{400, "Wrong redirect address",
                        "The app asked to be sent back to an address it did not register. "
                        "Nothing was authorized."};

    AuthorizationRequest req;
    req.client = *client;
    req.redirect_uri = redirect_uri.value_or(client->redirect_uri);
    req.state = param("state").value_or("");
    req.echo = {{"client_id", client->id}};
    for (const char* name : {"response_type", "redirect_uri", "scopes", "state", "code_challenge",
                             "code_challenge_method"})
        if (auto value = param(name)) req.echo.emplace_back(name, *value);

    const std::string response_type = param("response_type").value_or("");
    const std::string scopes = param("scopes").value_or("");
    const auto challenge = param("code_challenge");
    const auto method = param("code_challenge_method");
    if (response_type != "code" && response_type != "token") {
        req.problem =
            auth::oauth_errors::unsupported_response_type("response_type must be code or token");
    } else if (!(req.scopes = auth::ScopeSet::parse(scopes))) {
        req.problem = auth::oauth_errors::invalid_scope(
            "scopes must be * or a list of area:read_only|read_write");
    } else if (response_type == "code" && client->is_public && !challenge) {
        req.problem =
            auth::oauth_errors::invalid_request("Public clients must send a PKCE code_challenge");
    } else if (challenge && method.value_or("") != "S256") {
        req.problem = auth::oauth_errors::invalid_request("code_challenge_method must be S256");
    } else if (challenge && !auth::valid_code_challenge(*challenge)) {
        req.problem = auth::oauth_errors::invalid_request(
            "code_challenge must be 43 characters of base64url (S256)");
    }
    req.implicit = response_type == "token";
    if (challenge && !req.implicit) req.code_challenge = *challenge;
    return req;
}

// redirect_uri with parameters added to its query (code) or its fragment (implicit flow).
std::string back_to_app(const std::string& uri, bool in_fragment,
                        const std::vector<std::pair<std::string, std::string>>& params) {
    std::string out = uri;
    char separator = in_fragment ? '#' : (uri.find('?') == std::string::npos ? '?' : '&');
    for (const auto& [name, value] : params) {
        out += separator;
        out += http::url_encode(name) + "=" + http::url_encode(value);
        separator = '&';
    }
    return out;
}

http::Response refuse(const AuthorizationRequest& req, const auth::OAuthError& error) {
    std::vector<std::pair<std::string, std::string>> params = {
        {"error", error.error()}, {"error_description", error.description()}};
    if (!req.state.empty()) params.emplace_back("state", req.state);
    return redirect(back_to_app(req.redirect_uri, req.implicit, params));
}

// The scopes one by one: "*" shows as every area at read_write.
std::vector<auth::Scope> each_scope(const auth::ScopeSet& scopes) {
    std::vector<auth::Scope> out;
    if (scopes.is_everything()) {
        for (const auto& area : auth::scope_areas()) out.push_back({area, auth::Level::read_write});
        return out;
    }
    const std::string text = scopes.str();
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string item = text.substr(start, end - start);
        const auto colon = item.find(':');
        if (colon != std::string::npos)
            out.push_back({item.substr(0, colon), item.substr(colon + 1) == "read_only"
                                                      ? auth::Level::read_only
                                                      : auth::Level::read_write});
        start = end + 1;
    }
    return out;
}

std::string origin_of(const std::string& uri) {
    const auto scheme_end = uri.find("://");
    const auto host_end = uri.find_first_of("/?", scheme_end + 3);
    return uri.substr(0, host_end);
}

http::Response show_consent(http::Context& ctx) {
    try {
        // A request no app could have sent fails here, before anyone is asked to sign in.
        auto req = read_request(ctx.tx(), [&](const std::string& name) {
            auto value = ctx.query_param(name);
            // Apps send "scopes" (Linode's documents) or "scope" (OAuth's name, which Cloud
            // Manager sends); the consent form carries it on as "scopes".
            if (!value && name == "scopes") value = ctx.query_param("scope");
            return value ? std::optional<std::string>(*value) : std::nullopt;
        });
        const auto session = current_session(ctx);
        if (!session || !session->user_id)
            return redirect("/login?next=" + http::url_encode(ctx.request.target));
        if (req.problem) return refuse(req, *req.problem);
        ConsentView view{req.client.label, origin_of(req.redirect_uri), session->username,
                         session->csrf,    each_scope(*req.scopes),     req.echo};
        return html(consent_page(view));
    } catch (const PageError& e) {
        return html(error_page(e), e.status);
    }
}

auth::ScopeSet every_area_read_write() {
    std::string text;
    for (const auto& area : auth::scope_areas()) text += area + ":read_write ";
    return *auth::ScopeSet::parse(text);
}

// The scopes the user left checked; nullopt when one was not asked for.
std::optional<auth::ScopeSet> granted_scopes(const AuthorizationRequest& req,
                                             const std::vector<std::string>& checked) {
    std::string text;
    for (const auto& scope : checked) text += scope + " ";
    if (text.empty()) return std::nullopt;
    auto granted = auth::ScopeSet::parse(text);
    if (!granted || !req.scopes->covers(*granted)) return std::nullopt;
    // Every area left at read_write is what "*" asked for: keep it "*".
    if (req.scopes->is_everything() && granted->covers(every_area_read_write()))
        return auth::ScopeSet::everything();
    return granted;
}

http::Response answer_consent(http::Context& ctx, const LoginOptions& options) {
    const auto form = posted_form(ctx);
    const auto session = current_session(ctx);
    if (!session || !session->user_id)
        return html(error_page({401, "Signed out",
                                "Your session ended before you answered. Start again from the "
                                "app."}),
                    401);
    if (!form || !csrf_ok(*session, *form))
        return html(error_page({403, "Form expired",
                                "The consent form expired or did not come from this site. "
                                "Nothing was authorized; start again from the app."}),
                    403);
    try {
        auto req = read_request(ctx.tx(), [&](const std::string& name) {
            if (form->repeated(name)) throw PageError{400, "Bad request", name + " is repeated."};
            return form->get(name);
        });
        if (req.problem) return refuse(req, *req.problem);
        if (form->get("decision").value_or("") != "approve")
            return refuse(req, auth::oauth_errors::access_denied("The user denied access"));
        const auto granted = granted_scopes(req, form->all("scope"));
        if (!granted)
            return refuse(req, auth::oauth_errors::access_denied("The user granted no scope"));

        std::vector<std::pair<std::string, std::string>> params;
        if (req.implicit) {
            const auto app = auth::authorize_app(ctx.tx(), *session->user_id, req.client, *granted);
            const auto tokens = auth::issue_tokens(ctx.tx(), app, false);
            params = {{"access_token", tokens.access_token},
                      {"token_type", "bearer"},
                      {"expires_in", std::to_string(tokens.expires_in)},
                      {"scopes", tokens.scopes}};
        } else {
            const std::string code = auth::issue_code(
                ctx.tx(),
                {req.client.id, *session->user_id, *granted, req.redirect_uri, req.code_challenge},
                options.code_ttl);
            params = {{"code", code}};
        }
        if (!req.state.empty()) params.emplace_back("state", req.state);
        return redirect(back_to_app(req.redirect_uri, req.implicit, params));
    } catch (const PageError& e) {
        return html(error_page(e), e.status);
    }
}

}  // namespace

void register_authorize(http::Router& router, const LoginOptions& options) {
    const auto open = auth::Requirement::open();
    router.add("GET", "/oauth/authorize", "oauth-authorize-form", open, show_consent);
    router.add("POST", "/oauth/authorize", "oauth-authorize", open,
               [options](http::Context& ctx) { return answer_consent(ctx, options); });
}

}  // namespace linnet::login
