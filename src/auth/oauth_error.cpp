// Constructors and the renderer of OAuth errors.
// The codes are those of RFC 6749; descriptions are for people, never parsed by clients.
#include "auth/oauth_error.hpp"

#include <boost/json.hpp>

namespace linnet::auth {

namespace oauth_errors {
OAuthError invalid_request(std::string description) {
    return OAuthError(400, "invalid_request", std::move(description));
}
OAuthError invalid_client(std::string description) {
    return OAuthError(401, "invalid_client", std::move(description));
}
OAuthError invalid_grant(std::string description) {
    return OAuthError(400, "invalid_grant", std::move(description));
}
OAuthError unsupported_grant_type(std::string description) {
    return OAuthError(400, "unsupported_grant_type", std::move(description));
}
OAuthError unauthorized_client(std::string description) {
    return OAuthError(400, "unauthorized_client", std::move(description));
}
OAuthError invalid_scope(std::string description) {
    return OAuthError(400, "invalid_scope", std::move(description));
}
OAuthError unsupported_response_type(std::string description) {
    return OAuthError(400, "unsupported_response_type", std::move(description));
}
OAuthError access_denied(std::string description) {
    return OAuthError(400, "access_denied", std::move(description));
}
}  // namespace oauth_errors

std::string render_oauth_error(const OAuthError& error) {
    return boost::json::serialize(
        boost::json::object{{"error", error.error()}, {"error_description", error.description()}});
}

}  // namespace linnet::auth
