// The route table: method + path template -> handler, with each route's spec operationId and
// required scope. Paths are matched after the "/v4" or "/v4beta" prefix is removed.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/scope.hpp"
#include "http/request.hpp"

namespace linnet::http {

using Handler = std::function<Response(Context&)>;

struct Route {
    std::string method;
    // "/regions/{regionId}"; "{imageId+}" matches one or more segments (image ids hold "/").
    std::string path;
    std::string operation_id;
    auth::Requirement requirement;
    Handler handler;
    // The answer depends only on the request: the data behind it never changes while running.
    bool immutable = false;
    std::size_t index = 0;  // position in the table, used by metrics
    // A list whose answers are kept by version (api::versioned_list): its family, so that the
    // version is read with the caller's token.
    std::string list_family;
};

struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
};

class Router {
  public:
    void add(std::string method, std::string path, std::string operation_id,
             auth::Requirement requirement, Handler handler, bool immutable = false,
             std::string list_family = {});

    // Finds the route for a path without the API prefix. Throws 404 when no route has the path,
    // 405 (with Allow) when routes have it under other methods, 400 for a malformed escape.
    Match match(std::string_view method, std::string_view path) const;

    const std::vector<Route>& routes() const { return routes_; }

    // The route added at `method` `path` (a path without parameters) hashes passwords: the server
    // runs it on its hashing lane (http/server.hpp), apart from the handler threads.
    void hashes_passwords(std::string_view method, std::string_view path);
    // Whether `method` and `path` (as the request line has it, without the API prefix) are those
    // of a route that hashes passwords. A lookup among those routes only: cheap enough for every
    // request.
    bool hashing(std::string_view method, std::string_view path) const;

  private:
    struct Segment {
        std::string text;
        bool param = false;
        bool rest = false;  // {name+}
    };
    struct Compiled {
        std::vector<Segment> segments;
    };
    bool match_segments(const Compiled& compiled, const std::vector<std::string>& raw,
                        std::map<std::string, std::string>& params) const;

    std::vector<Route> routes_;
    std::vector<Compiled> compiled_;
    std::vector<std::pair<std::string, std::string>> hashing_;  // method, path
};

// Removes "/v4" or "/v4beta" and one trailing slash; nullopt when the path has neither prefix.
std::optional<std::string> strip_api_prefix(std::string_view path);

}  // namespace linnet::http
