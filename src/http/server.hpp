// The HTTP/1.1 server (Boost.Beast): keep-alive, one thread per core, bounded requests, read
// timeouts, and a graceful stop on SIGTERM/SIGINT that lets requests in flight finish.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "http/dispatcher.hpp"
#include "http/metrics.hpp"

namespace linnet::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    unsigned threads = 0;  // 0: one per core
    std::size_t body_limit = 1 << 20;
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds drain_timeout{30};
};

// Serves until SIGTERM or SIGINT; on_ready is called once the listener accepts connections.
void serve(const ServerOptions& options, const Dispatcher& dispatcher, Metrics& metrics,
           const std::function<void(std::uint16_t port)>& on_ready);

}  // namespace linnet::http
