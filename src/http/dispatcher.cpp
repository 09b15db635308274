// The request pipeline between the socket layer and the handlers.
#include "http/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"

namespace linnet::http {

namespace {

// Runs of a request whose transaction collides with others before it is answered 503.
constexpr int kAttempts = 4;

}  // namespace

Response error_response(const ApiError& error) {
    Response r = Response::json(render_error(error), error.status());
    for (const auto& h : error.headers) r.headers.push_back(h);
    return r;
}

void add_cors_headers(Response& r) {
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
    r.headers.emplace_back("Access-Control-Allow-Methods", "HEAD, GET, OPTIONS, POST, PUT, DELETE");
    r.headers.emplace_back(
        "Access-Control-Allow-Headers",
        "Authorization, Origin, X-Requested-With, Content-Type, Accept, X-Filter");
    r.headers.emplace_back("Access-Control-Expose-Headers",
                           "X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Status");
    r.headers.emplace_back("Access-Control-Allow-Credentials", "true");
}

std::vector<Dispatcher::Prepared> Dispatcher::prepare_all(
    const std::vector<const Request*>& requests) const {
    std::vector<Prepared> prepared(requests.size());
    // The requests of the API with a token, routed here once, and their callers.
    std::vector<auth::Caller> callers;
    std::vector<std::size_t> request_of;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const Request& request = *requests[i];
        if (request.method == "OPTIONS") continue;
        auto authorization = request.header("authorization");
        if (!authorization) continue;
        const std::string_view target = request.target;
        auto path = strip_api_prefix(target.substr(0, target.find('?')));
        if (!path) continue;
        try {
            prepared[i].routed =
                router_.match(request.method == "HEAD" ? "GET" : request.method, *path);
        } catch (const ApiError&) {
            continue;  // routed again by handle(), which counts it against the address
        }
        if (prepared[i].routed->route->requirement.kind == auth::Requirement::Kind::open) continue;
        callers.push_back({*authorization, prepared[i].routed->route->list_family});
        request_of.push_back(i);
    }
    if (callers.size() < 2) return prepared;  // one caller is found by its own request
    try {
        auto tx = db_.begin(store::Access::read);
        auto found = auth::authenticate_all(*tx, callers);
        tx->commit();
        for (std::size_t k = 0; k < found.size(); ++k)
            prepared[request_of[k]].caller = std::move(found[k]);
    } catch (const std::exception& e) {
        // Each request then finds its caller itself, and meets the fault on its own.
        spdlog::debug("finding {} callers at once: {}", callers.size(), e.what());
    }
    return prepared;
}

Outcome Dispatcher::handle(const Request& request, Prepared* prepared) const {
    if (auto login = handle_login(request)) return std::move(*login);
    const KnownCaller* known = prepared && prepared->caller ? &*prepared->caller : nullptr;
    Outcome out;
    Headers limit_headers;
    const std::string by_address = "address:" + request.remote_address;
    try {
        const Target target = split_target(request.target);
        auto path = strip_api_prefix(target.path);
        if (!path) throw errors::not_found();
        if (request.method == "OPTIONS") {
            // A CORS preflight: the answer is the CORS headers themselves.
            out.response.status = 200;
            out.response.body = "{}";
        } else {
            const std::string method = request.method == "HEAD" ? "GET" : request.method;
            Match match;
            if (prepared != nullptr && prepared->routed) {
                match = std::move(*prepared->routed);
            } else {
                try {
                    match = router_.match(method, *path);
                } catch (const ApiError&) {
                    limit(by_address, "", limit_headers);
                    throw;
                }
            }
            out.route = match.route;
            if (match.route->immutable) {
                // Open catalog routes, limited per address: the answer depends on the target and
                // the filter only.
                limit(by_address, match.route->operation_id, limit_headers);
                std::string key = request.target;
                key += '\n';
                key += request.header("x-filter").value_or("");
                if (auto hit = cache_.find(key)) {
                    out.response = *hit;
                } else {
                    out.response = run_again_on_conflict(request, *match.route, match, target.query,
                                                         limit_headers, known);
                    if (out.response.status == 200) cache_.store(key, out.response);
                }
            } else {
                out.response = run_again_on_conflict(request, *match.route, match, target.query,
                                                     limit_headers, known);
            }
        }
    } catch (const ApiError& e) {
        out.response = error_response(e);
    } catch (const store::StoreUnavailable& e) {
        spdlog::warn("{} {}: {}", request.method, request.target, e.what());
        out.response = error_response(errors::unavailable());
    } catch (const store::Conflict& e) {
        spdlog::warn("{} {}: still colliding after {} attempts: {}", request.method, request.target,
                     kAttempts, e.what());
        out.response = error_response(errors::unavailable());
    } catch (const store::InvalidText&) {
        out.response = error_response(errors::bad_request("Text may not contain NUL characters"));
    } catch (const std::exception& e) {
        spdlog::error("{} {}: {}", request.method, request.target, e.what());
        out.response = error_response(errors::internal());
    }
    for (auto& h : limit_headers) out.response.headers.push_back(std::move(h));
    out.response.headers.emplace_back("X-Status", std::to_string(out.response.status));
    out.response.headers.emplace_back("Vary", "Authorization, X-Filter");
    add_cors_headers(out.response);
    return out;
}

bool Dispatcher::hashing(const Request& request) const {
    const std::string_view target = request.target;
    const std::string_view path = target.substr(0, target.find('?'));
    if (auto api = strip_api_prefix(path)) return router_.hashing(request.method, *api);
    return login_ != nullptr && login_->hashing(request.method, path);
}

std::optional<Outcome> Dispatcher::handle_login(const Request& request) const {
    if (login_ == nullptr) return std::nullopt;
    // Logged by its path only: an upload URL's query holds its secret.
    const Target target = split_target(request.target);
    if (strip_api_prefix(target.path)) return std::nullopt;
    Outcome out;
    Headers limit_headers;
    try {
        const std::string method = request.method == "HEAD" ? "GET" : request.method;
        Match match;
        try {
            match = login_->match(method, target.path);
        } catch (const ApiError& e) {
            if (e.status() == 404) return std::nullopt;  // answered as before: a JSON 404
            throw;
        }
        limit("address:" + request.remote_address, match.route->operation_id, limit_headers);
        for (int attempt = 1;; ++attempt) {
            try {
                // Pages sign in, record failures and issue codes: every request may write.
                Context ctx(request, target.query, db_, store::Access::write);
                // Signing in, consent and tokens span accounts: a username or client names its
                // own.
                ctx.scope = store::Scope::system();
                ctx.params = match.params;
                out.response = match.route->handler(ctx);
                ctx.commit();
                break;
            } catch (const store::Conflict&) {
                if (attempt == kAttempts) throw;
            }
        }
    } catch (const ApiError& e) {
        out.response = error_response(e);
    } catch (const store::StoreUnavailable& e) {
        spdlog::warn("{} {}: {}", request.method, target.path, e.what());
        out.response = error_response(errors::unavailable());
    } catch (const store::Conflict& e) {
        spdlog::warn("{} {}: still colliding after {} attempts: {}", request.method, target.path,
                     kAttempts, e.what());
        out.response = error_response(errors::unavailable());
    } catch (const store::InvalidText&) {
        out.response = error_response(errors::bad_request("Text may not contain NUL characters"));
    } catch (const std::exception& e) {
        spdlog::error("{} {}: {}", request.method, target.path, e.what());
        out.response = error_response(errors::internal());
    }
    for (auto& h : limit_headers) out.response.headers.push_back(std::move(h));
    return out;
}

void Dispatcher::limit(const std::string& identity, std::string_view operation,
                       Headers& out) const {
    if (limiter_ == nullptr || !limiter_->enabled() || !out.empty()) return;
    const auto verdict = limiter_->admit(identity, operation);
    out = RateLimiter::headers(verdict);
    if (!verdict.allowed) {
        ApiError e = errors::too_many_requests(verdict.retry_after);
        e.headers.clear();  // Retry-After is among the limit headers
        throw e;
    }
}

Response Dispatcher::run_again_on_conflict(const Request& request, const Route& route,
                                           const Match& match,
                                           const std::map<std::string, std::string>& query,
                                           Headers& limit_headers, const KnownCaller* known) const {
    // A transaction that collided with another was rolled back whole: running the handler again
    // sees what the other committed (the label it took, the address it holds). The rate limit
    // was counted by the first attempt.
    for (int attempt = 1;; ++attempt) {
        Match copy = match;
        try {
            return run(request, route, copy, query, limit_headers, known);
        } catch (const store::Conflict& e) {
            if (attempt == kAttempts) throw;
            spdlog::debug("{} {}: attempt {} collided: {}", request.method, request.target, attempt,
                          e.what());
        }
    }
}

Response Dispatcher::run(const Request& request, const Route& route, Match& match,
                         const std::map<std::string, std::string>& query, Headers& limit_headers,
                         const KnownCaller* known) const {
    using Kind = auth::Requirement::Kind;
    const auto& req = route.requirement;
    const bool reads = route.method == "GET";
    Context ctx(request, query, db_, reads ? store::Access::read : store::Access::write);
    ctx.params = std::move(match.params);

    std::optional<auth::Principal> principal;
    if (auto header = request.header("authorization"); header && req.kind != Kind::open) {
        principal =
            known != nullptr ? *known : auth::authenticate(ctx.tx(), *header, route.list_family);
        if (!principal) {
            limit("address:" + request.remote_address, route.operation_id, limit_headers);
            throw errors::invalid_token();
        }
    }
    // Per token when there is one, per address otherwise.
    limit(principal ? "token:" + std::to_string(principal->token_id)
                    : "address:" + request.remote_address,
          route.operation_id, limit_headers);
    if (!principal && (req.kind == Kind::token || req.kind == Kind::scopes))
        throw errors::invalid_token();

    std::vector<std::pair<std::string, std::string>> scope_headers;
    if (principal) scope_headers.emplace_back("X-OAuth-Scopes", principal->scopes.str());
    if (!req.scopes.empty()) scope_headers.emplace_back("X-Accepted-OAuth-Scopes", req.accepted());
    if (principal)
        for (const auto& scope : req.scopes)
            if (!principal->scopes.allows(scope)) {
                ApiError e = errors::scope_missing();
                for (auto& h : scope_headers) e.headers.push_back(h);
                throw e;
            }

    ctx.principal = principal ? &*principal : nullptr;
    // Everything the handler reads or writes is the caller's account's (or no account's).
    ctx.scope = principal ? store::Scope::account(principal->account_id) : store::Scope::none();
    if (ctx.has_tx()) ctx.tx().set_scope(*ctx.scope);
    Response response = route.handler(ctx);
    ctx.commit();
    for (auto& h : scope_headers) response.headers.push_back(std::move(h));
    return response;
}

}  // namespace linnet::http
