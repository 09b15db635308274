// From a request to a response, without sockets: CORS, the API prefix, routing, authentication
// and scopes, one transaction per request, and the one place where errors become responses.
#pragma once

#include <optional>
#include <vector>

#include "auth/principal.hpp"
#include "core/error.hpp"
#include "http/rate_limit.hpp"
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
    // Without a limiter, no rate limits apply.
    Dispatcher(const Router& router, store::Database& db, RateLimiter* limiter = nullptr)
        : router_(router), db_(db), limiter_(limiter) {}
    // A caller found before its request runs: its principal, or nullopt when its token is none.
    using KnownCaller = std::optional<auth::Principal>;
    // What prepare_all() learnt of a request ahead of handle(): its route, and its caller.
    struct Prepared {
        std::optional<Match> routed;
        std::optional<KnownCaller> caller;
    };
    // Routes several requests and finds the callers of those of the API with a token in one
    // statement: many requests cost one round trip to the database for their tokens rather than
    // one each. A fault leaves the callers to each request's handle().
    std::vector<Prepared> prepare_all(const std::vector<const Request*>& requests) const;
    // With `prepared` (from prepare_all, used up), the route and caller are not looked up again.
    Outcome handle(const Request& request, Prepared* prepared = nullptr) const;
    // Whether the request is for a route that hashes passwords (Router::hashes_passwords), of
    // the API or of the login service: the server runs those on its hashing lane.
    bool hashing(const Request& request) const;
    // Serves `login` (the login service: pages and OAuth endpoints) for paths outside the API.
    void mount_login(const Router& login) { login_ = &login; }

  private:
    using Headers = std::vector<std::pair<std::string, std::string>>;
    // run(), again while its transaction collides with another's (a store::Conflict).
    Response run_again_on_conflict(const Request& request, const Route& route, const Match& match,
                                   const std::map<std::string, std::string>& query,
                                   Headers& limit_headers, const KnownCaller* known) const;
    Response run(const Request& request, const Route& route, Match& match,
                 const std::map<std::string, std::string>& query, Headers& limit_headers,
                 const KnownCaller* known) const;
    // Counts the request against the caller's limits: throws 429 when one is exhausted; the
    // X-RateLimit headers go into `out` either way.
    void limit(const std::string& identity, std::string_view operation, Headers& out) const;
    // The login service's answer; nullopt when the path is the API's or none of its routes'.
    std::optional<Outcome> handle_login(const Request& request) const;

    const Router& router_;
    store::Database& db_;
    RateLimiter* limiter_;
    const Router* login_ = nullptr;
    mutable ResponseCache cache_;
};

// Headers every API response carries (CORS).
void add_cors_headers(Response& response);

// The error's answer in the API's shape. A handler that answers it rather than throwing it keeps
// what its transaction wrote (a failed try counted, say).
Response error_response(const ApiError& error);

}  // namespace linnet::http
