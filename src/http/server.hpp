// The HTTP/1.1 server (Boost.Beast): keep-alive, one I/O thread per core, bounded requests, read
// timeouts, and a graceful stop on SIGTERM/SIGINT that lets requests in flight finish. Handlers
// and their transactions run on a bounded pool of their own, never on the I/O threads: a slow
// query or a busy database holds a handler thread, not the sockets; when the pool's queue is
// full, requests are answered 503 with Retry-After at once. Routes that hash passwords have a
// small pool of their own (the hashing lane), and requests that write may have one too (the
// writing lane). Handlers may take the requests that wait together (ServerOptions::batch).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "http/dispatcher.hpp"
#include "http/metrics.hpp"
#include "http/proxies.hpp"

namespace linnet::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    unsigned threads = 0;              // I/O threads; 0: one per core
    unsigned handler_threads = 0;      // 0: two per core, at least 4
    std::size_t handler_queue = 1024;  // requests waiting for or in a handler, at most
    // The hashing lane: routes that hash passwords (Dispatcher::hashing) run on these threads
    // rather than the handlers, so that a request waiting for a password hasher holds none of the
    // threads that answer everything else. 0: they run on the handlers.
    unsigned hashing_threads = 0;
    // The writing lane: requests that may write (any method but GET, HEAD and OPTIONS) run on
    // these threads rather than the handlers. 0: they run on the handlers.
    unsigned writing_threads = 0;
    // Requests taken together: reads, and writes on the writing lane, wait in one queue each, and
    // a handler that finds several waiting takes up to this many at once, finding their callers
    // in one round trip to the database (Dispatcher::prepare_all). 0 or 1: each request runs on
    // its own.
    std::size_t batch = 0;
    std::size_t body_limit = 1 << 20;
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds drain_timeout{30};
    TrustedProxies trusted_proxies;  // whose X-Forwarded-Proto/-For are believed
    std::string metrics_token;       // when set, GET /metrics needs it as a bearer token
    // PUTs whose path begins with this (image uploads) are streamed to a file in `upload_dir`
    // (Request::body_file) instead of memory, up to `upload_limit` bytes; the file is removed
    // once the request is answered.
    std::string upload_prefix;
    std::filesystem::path upload_dir;
    std::uint64_t upload_limit = 0;
    // Whether an upload's target (its path and query) may send its body: asked once its headers
    // are read, before anything of the body is taken (a short read of the store); refused ones
    // are answered 403 and the connection closed. Uploads at once, at most.
    std::function<bool(std::string_view target)> accept_upload = [](std::string_view) {
        return false;
    };
    unsigned uploads_at_once = 4;
    // What is wrong with the components this process runs (the DNS server, the load balancer),
    // by component, for /healthz; asked on the I/O thread, so it must not block.
    std::function<std::vector<std::pair<std::string, std::string>>()> component_problems = [] {
        return std::vector<std::pair<std::string, std::string>>{};
    };
};

// Serves until SIGTERM or SIGINT; on_ready is called once the listener accepts connections.
void serve(const ServerOptions& options, const Dispatcher& dispatcher, Metrics& metrics,
           const std::function<void(std::uint16_t port)>& on_ready);

}  // namespace linnet::http
