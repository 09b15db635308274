// The one family of API errors. Handlers throw ApiError; the server renders it once, in the
// Linode shape {"errors":[{"reason","field"?}]}.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace linnet {

struct ErrorDetail {
    std::string reason;
    std::optional<std::string> field;
};

class ApiError : public std::runtime_error {
  public:
    ApiError(int status, std::vector<ErrorDetail> details);
    ApiError(int status, std::string reason, std::optional<std::string> field = std::nullopt);

    int status() const { return status_; }
    const std::vector<ErrorDetail>& details() const { return details_; }
    // Extra response header, e.g. Retry-After on 429 or Allow on 405.
    std::vector<std::pair<std::string, std::string>> headers;

  private:
    int status_;
    std::vector<ErrorDetail> details_;
};

// Each constructor names the situation in which the API answers with it.
namespace errors {
// 400: a body field or query parameter is invalid.
ApiError bad_request(std::string reason, std::optional<std::string> field = std::nullopt);
// 400 with several fields at once, as validation of a whole body reports them.
ApiError invalid(std::vector<ErrorDetail> details);
// 400 for a bad X-Filter header.
ApiError bad_filter(std::string reason);
// 401: no token, an unknown token, or an expired one.
ApiError invalid_token();
// 401: the token is valid but lacks the scope the route declares.
ApiError scope_missing();
// 403: the user may not act on this entity or call this route.
ApiError forbidden(std::string reason = "Unauthorized");
// 404: unknown route or entity.
ApiError not_found(std::string reason = "Not found");
// 405: the path exists, the method does not.
ApiError method_not_allowed(std::string allow);
// 413: the request body is over the limit.
ApiError payload_too_large();
// 415: a body that is not JSON where JSON is required.
ApiError unsupported_media_type();
// 429: a rate limit is exhausted.
ApiError too_many_requests(int retry_after_seconds);
// 500: anything unexpected; never carries the internal message.
ApiError internal();
// 503 with Retry-After: the database cannot be reached for now.
ApiError unavailable(int retry_after_seconds = 1);
}  // namespace errors

// {"errors":[...]} for an ApiError.
std::string render_error(const ApiError& error);

}  // namespace linnet
