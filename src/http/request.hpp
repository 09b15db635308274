// HTTP as the API layer sees it, free of Beast: a request with decoded path parameters and
// query, and a response. Handlers see only these types.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/principal.hpp"
#include "store/database.hpp"

namespace linnet::http {

struct Request {
    std::string method;                          // "GET", "POST", ...
    std::string target;                          // as received, e.g. "/v4/regions?page=2"
    std::map<std::string, std::string> headers;  // names lower-case
    std::string body;
    std::string body_file;       // a streamed upload's body (see ServerOptions::upload_prefix)
    std::string remote_address;  // the client's, as a trusted proxy forwards it
    bool secure = false;         // came over HTTPS (through a trusted proxy)

    std::optional<std::string_view> header(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string body = "{}";
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;

    static Response json(std::string body, int status = 200);
};

// Splits a target into its path and decoded query parameters (the first value of each name).
struct Target {
    std::string path;  // still percent-encoded
    std::map<std::string, std::string> query;
};
Target split_target(std::string_view target);
// Decodes %XX escapes; answers nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

// What a handler is given. The request's one transaction begins when it is first used, so a
// handler that needs no data costs no database work.
struct Context {
    Context(const Request& request, const std::map<std::string, std::string>& query,
            store::Database& db, store::Access access)
        : request(request), query(query), db_(db), access_(access) {}

    const Request& request;
    const std::map<std::string, std::string>& query;
    std::map<std::string, std::string> params;   // path parameters, decoded
    const auth::Principal* principal = nullptr;  // null on an open route called without a token

    store::Transaction& tx();
    bool has_tx() const { return tx_ != nullptr; }
    // The scope the transaction runs in once it begins (the caller's account, or the system
    // scope for the login service); unset until the caller is known.
    std::optional<store::Scope> scope;
    // Commits the transaction if one was begun, then runs what waited for the commit.
    void commit();
    // Runs after a successful commit, e.g. waking the job workers.
    std::vector<std::function<void()>> after_commit;

    const std::string& param(const std::string& name) const { return params.at(name); }
    std::optional<std::string_view> query_param(const std::string& name) const;
    // The caller; throws 401 when there is none.
    const auth::Principal& caller() const;

  private:
    store::Database& db_;
    store::Access access_;
    std::unique_ptr<store::Transaction> tx_;
};

}  // namespace linnet::http
