// From a request to a response, without sockets: CORS, the API prefix, routing, authentication
// and scopes, one transaction per request, and the one place where errors become responses.
#pragma once

#include "http/response_cache.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace linnet::http {

struct Outcome {
    Response response;
    const Route* route = nullptr;  // null when no route matched
};

class Dispatcher {
  public:
    Dispatcher(const Router& router, store::Database& db) : router_(router), db_(db) {}
    Outcome handle(const Request& request) const;

  private:
    Response run(const Request& request, const Route& route, Match& match,
                 const std::map<std::string, std::string>& query) const;

    const Router& router_;
    store::Database& db_;
    mutable ResponseCache cache_;
};

// Headers every API response carries (CORS).
void add_cors_headers(Response& response);

}  // namespace linnet::http
