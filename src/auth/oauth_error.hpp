// Errors of the OAuth endpoints (RFC 6749 section 5.2): {"error", "error_description"} with 400
// or 401, a shape apart from the API's {"errors": [...]} because OAuth clients expect it.
#pragma once

#include <stdexcept>
#include <string>

namespace linnet::auth {

class OAuthError : public std::runtime_error {
  public:
    OAuthError(int status, std::string error, std::string description)
        : std::runtime_error(description),
          status_(status),
          error_(std::move(error)),
          description_(std::move(description)) {}

    int status() const { return status_; }
    // The RFC's error code, e.g. "invalid_grant".
    const std::string& error() const { return error_; }
    const std::string& description() const { return description_; }

  private:
    int status_;
    std::string error_;
    std::string description_;
};

// Each constructor names the situation in which the login service answers with it.
namespace oauth_errors {
// 400: a parameter is missing, repeated or malformed.
OAuthError invalid_request(std::string description);
// 401: the client is unknown, or its secret is missing or wrong.
OAuthError invalid_client(std::string description);
// 400: the code or refresh token is unknown, expired, used, or issued to another client or
// redirect_uri, or the PKCE verifier does not match.
OAuthError invalid_grant(std::string description);
// 400: grant_type is neither authorization_code nor refresh_token.
OAuthError unsupported_grant_type(std::string description);
// 400: the client may not use this flow.
OAuthError unauthorized_client(std::string description);
// 400 (as a redirect): the scopes asked for are not a scope list.
OAuthError invalid_scope(std::string description);
// 400 (as a redirect): response_type is neither code nor token.
OAuthError unsupported_response_type(std::string description);
// (as a redirect): the user denied the app.
OAuthError access_denied(std::string description);
}  // namespace oauth_errors

// {"error": "...", "error_description": "..."}
std::string render_oauth_error(const OAuthError& error);

}  // namespace linnet::auth
