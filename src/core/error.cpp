// Constructors and the single renderer of API errors.
#include "core/error.hpp"

#include <boost/json.hpp>

namespace linnet {

ApiError::ApiError(int status, std::vector<ErrorDetail> details)
    : std::runtime_error(details.empty() ? "error" : details.front().reason),
      status_(status),
      details_(std::move(details)) {}

ApiError::ApiError(int status, std::string reason, std::optional<std::string> field)
    : ApiError(status, std::vector<ErrorDetail>{{std::move(reason), std::move(field)}}) {}

namespace errors {
ApiError bad_request(std::string reason, std::optional<std::string> field) {
    return ApiError(400, std::move(reason), std::move(field));
}
ApiError invalid(std::vector<ErrorDetail> details) {
    return ApiError(400, std::move(details));
}
ApiError bad_filter(std::string reason) {
    return ApiError(400, std::move(reason), std::string("X-Filter"));
}
ApiError invalid_token() {
    return ApiError(401, "Invalid Token");
}
ApiError scope_missing() {
    return ApiError(401, "Your OAuth token is not authorized to use this endpoint.");
}
ApiError forbidden(std::string reason) {
    return ApiError(403, std::move(reason));
}
ApiError not_found(std::string reason) {
    return ApiError(404, std::move(reason));
}
ApiError method_not_allowed(std::string allow) {
    ApiError e(405, "Method Not Allowed");
    e.headers.emplace_back("Allow", std::move(allow));
    return e;
}
ApiError payload_too_large() {
    return ApiError(413, "Request body is too large");
}
ApiError unsupported_media_type() {
    return ApiError(415, "The request body must be JSON (Content-Type: application/json)");
}
ApiError too_many_requests(int retry_after_seconds) {
    ApiError e(429, "Too many requests");
    e.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
    return e;
}
ApiError internal() {
    return ApiError(500, "Internal Server Error");
}
ApiError unavailable(int retry_after_seconds) {
    ApiError e(503, "The service is temporarily unavailable; try again shortly.");
    e.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
    return e;
}
}  // namespace errors

std::string render_error(const ApiError& error) {
    boost::json::array list;
    for (const auto& d : error.details()) {
        boost::json::object item;
        item["reason"] = d.reason;
        if (d.field) item["field"] = *d.field;
        list.push_back(std::move(item));
    }
    return boost::json::serialize(boost::json::object{{"errors", std::move(list)}});
}

}  // namespace linnet
