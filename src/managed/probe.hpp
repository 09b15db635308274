// One check of a Managed service, as Linode Managed makes it: a `url` service is up when a GET of
// its URL (http or https; redirects are not followed) answers 2xx or 3xx within the timeout and,
// when a body is expected, the response holds it; a `tcp` service (HOST:PORT) is up when a
// connection opens within the timeout.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

namespace linnet::managed {

struct ProbeResult {
    bool ok = false;
    std::string detail;  // what was seen: "HTTP 200", "connection refused", ...
};

// It connects only to addresses a service may be checked at (managed/addresses.hpp; loopback
// when `loopback`). `stopping`, when given, ends a check early (the process is stopping): it
// answers "stopped".
ProbeResult probe(const std::string& service_type, const std::string& address,
                  std::chrono::seconds timeout, const std::optional<std::string>& body,
                  bool loopback, const std::atomic<bool>* stopping = nullptr);

}  // namespace linnet::managed
