// Beast sessions as C++20 coroutines. This file (and only this one) includes Beast and Asio.
#include "http/server.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast.hpp>
#include <boost/json.hpp>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "http/framing.hpp"

namespace linnet::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// The open connections, so that a stop can close the idle ones and let every session end while
// the I/O threads still run (a session's socket must not outlive them).
class Connections {
  public:
    // Registers a connection; `close` must run on the connection's strand. Answers its key.
    std::uint64_t add(std::function<void()> close) {
        std::lock_guard lock(mutex_);
        closers_.emplace(++next_, std::move(close));
        return next_;
    }
    void remove(std::uint64_t key) {
        std::lock_guard lock(mutex_);
        closers_.erase(key);
    }
    void close_all() {
        std::lock_guard lock(mutex_);
        for (auto& [key, close] : closers_) close();
    }
    bool empty() {
        std::lock_guard lock(mutex_);
        return closers_.empty();
    }

  private:
    std::mutex mutex_;
    std::map<std::uint64_t, std::function<void()>> closers_;
    std::uint64_t next_ = 0;
};

// A lane of handlers that take requests together: requests wait in one queue, and a handler that
// finds several waiting takes them all (up to a batch) and prepares them at once
// (Dispatcher::prepare_all): their callers' tokens are found in one round trip to the database
// rather than one each. It answers the first and leaves the others, prepared, to whichever
// handler of the lane is free first, so that no request waits behind another while a handler is
// idle. Each request's coroutine resumes on its own executor once its answer is ready.
class Lane {
  public:
    Lane(const Dispatcher& dispatcher, Metrics& metrics, unsigned threads, std::size_t batch)
        : dispatcher_(dispatcher), metrics_(metrics), batch_(batch) {
        for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
    }
    ~Lane() { join(); }

    // Answers what waits, then stops the threads.
    void join() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        waiting_.notify_all();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }

    awaitable<Outcome> answer(const Request& request) {
        return asio::async_initiate<decltype(asio::use_awaitable), void(Outcome)>(
            [this, &request](auto handler) {
                using Handler = decltype(handler);
                struct Entry final : Waiting {
                    Handler handler;
                    Entry(const Request& r, Handler h) : Waiting(r), handler(std::move(h)) {}
                    void complete(Outcome out) override {
                        auto ex = asio::get_associated_executor(handler);
                        asio::post(ex, [h = std::move(handler), out = std::move(out)]() mutable {
                            std::move(h)(std::move(out));
                        });
                    }
                };
                {
                    std::lock_guard lock(mutex_);
                    arrived_.push_back(std::make_unique<Entry>(request, std::move(handler)));
                }
                waiting_.notify_one();
            },
            asio::use_awaitable);
    }

  private:
    struct Waiting {
        explicit Waiting(const Request& r) : request(r) {}
        virtual ~Waiting() = default;
        virtual void complete(Outcome out) = 0;
        const Request& request;
        std::optional<Dispatcher::Prepared> prepared;
    };
    using Queue = std::deque<std::unique_ptr<Waiting>>;

    void work() {
        std::vector<std::unique_ptr<Waiting>> taken;
        for (;;) {
            {
                std::unique_lock lock(mutex_);
                waiting_.wait(
                    lock, [this] { return stopping_ || !prepared_.empty() || !arrived_.empty(); });
                Queue& from = !prepared_.empty() ? prepared_ : arrived_;
                if (from.empty()) return;
                const std::size_t n = &from == &prepared_ ? 1 : std::min(batch_, from.size());
                for (std::size_t i = 0; i < n; ++i) {
                    taken.push_back(std::move(from.front()));
                    from.pop_front();
                }
            }
            if (!taken.front()->prepared) prepare(taken);
            Waiting& first = *taken.front();
            first.complete(dispatcher_.handle(first.request, &*first.prepared));
            taken.clear();
        }
    }

    // Prepares the requests taken together, and leaves all but the first to any free handler.
    void prepare(std::vector<std::unique_ptr<Waiting>>& taken) {
        std::vector<const Request*> requests;
        for (const auto& waiting : taken) requests.push_back(&waiting->request);
        std::vector<Dispatcher::Prepared> prepared;
        try {
            prepared = dispatcher_.prepare_all(requests);
        } catch (const std::exception& e) {
            // Each request is then routed and its caller found by handle() alone.
            spdlog::warn("preparing {} requests together: {}", requests.size(), e.what());
            prepared.assign(taken.size(), Dispatcher::Prepared{});
        }
        std::int64_t together = 0;
        for (std::size_t i = 0; i < taken.size(); ++i) {
            together += prepared[i].caller ? 1 : 0;
            taken[i]->prepared = std::move(prepared[i]);
        }
        metrics_.prepared_together() += together;
        if (taken.size() == 1) return;
        {
            std::lock_guard lock(mutex_);
            for (std::size_t i = 1; i < taken.size(); ++i) prepared_.push_back(std::move(taken[i]));
        }
        for (std::size_t i = 1; i < taken.size(); ++i) waiting_.notify_one();
        taken.resize(1);
    }

    const Dispatcher& dispatcher_;
    Metrics& metrics_;
    const std::size_t batch_;
    std::mutex mutex_;
    std::condition_variable waiting_;
    Queue arrived_;   // requests not yet prepared, oldest first
    Queue prepared_;  // requests prepared with others, waiting for a handler
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

struct Shared {
    const ServerOptions& options;
    const Dispatcher& dispatcher;
    Metrics& metrics;
    asio::thread_pool* handlers;  // the handlers, one request at a time; null: `taking`
    asio::thread_pool* hashing;   // the hashing lane; null: none
    asio::thread_pool* writing;   // the writing lane, one request at a time; null: none
    // With batches (ServerOptions::batch) the handlers take requests together (`taking`), and so
    // does the writing lane when there is one (`writing_together`); null: none.
    Lane* taking;
    Lane* writing_together;
    Connections connections;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> handling{0};  // requests queued for or in a handler
    std::atomic<unsigned> uploading{0};    // upload bodies being received
};

using BeastResponse = bhttp::response<bhttp::string_body>;

// The file an upload's body is streamed to, removed when the request is done with it.
struct UploadFile {
    std::string path;
    static UploadFile in(const std::filesystem::path& dir) {
        static std::atomic<std::uint64_t> serial{0};
        std::error_code ignored;
        std::filesystem::create_directories(dir, ignored);
        return {
            (dir /
             ("upload-" + std::to_string(::getpid()) + "-" + std::to_string(serial.fetch_add(1)) +
              "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) +
              ".part"))
                .string()};
    }
    UploadFile() = default;
    UploadFile(std::string p) : path(std::move(p)) {}
    UploadFile(UploadFile&& other) noexcept : path(std::exchange(other.path, {})) {}
    UploadFile& operator=(UploadFile&& other) noexcept {
        std::swap(path, other.path);
        return *this;
    }
    ~UploadFile() {
        if (path.empty()) return;
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
    }
};

// Upload files a server that is gone left behind (killed while a body came in).
void sweep_abandoned_uploads(const std::filesystem::path& dir) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("upload-", 0) != 0 || !name.ends_with(".part")) continue;
        const pid_t pid = static_cast<pid_t>(std::atol(name.c_str() + 7));
        // Another live process's upload goes on (this process has none yet: it is starting,
        // perhaps with the PID of the server that left the file).
        if (pid > 0 && pid != ::getpid() && (::kill(pid, 0) == 0 || errno == EPERM)) continue;
        std::error_code ignored;
        std::filesystem::remove(entry.path(), ignored);
    }
}

BeastResponse to_beast(Response&& r, unsigned version, bool keep_alive, bool head) {
    BeastResponse res{static_cast<bhttp::status>(r.status), version};
    res.set(bhttp::field::server, "linnet");
    res.set(bhttp::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) res.insert(name, value);
    res.keep_alive(keep_alive);
    res.body() = std::move(r.body);
    res.prepare_payload();
    if (head) res.body().clear();  // Content-Length stays that of the GET answer
    return res;
}

Response error_of(const ApiError& e) {
    Response r = Response::json(render_error(e), e.status());
    add_cors_headers(r);
    return r;
}

// True when the request's Authorization is "Bearer <token>"; compared in constant time.
bool bearer_matches(const Request& request, const std::string& token) {
    const std::string expected = "Bearer " + token;
    const auto given = request.header("authorization").value_or("");
    unsigned char differ = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < expected.size(); ++i)
        differ |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
    return differ == 0;
}

// /healthz and /metrics are answered on the I/O thread (they touch no database); everything else
// on the handler pool, or 503 at once when its queue is full.
awaitable<Response> answer(Shared& shared, const Request& request, const Route*& route) {
    if (request.target == "/healthz" && request.method == "GET") {
        // The API answers; a component that cannot do its work is named with why.
        boost::json::object problems;
        for (auto& [component, why] : shared.options.component_problems())
            problems[component] = why;
        boost::json::object health{{"status", problems.empty() ? "ok" : "degraded"}};
        if (!problems.empty()) health["problems"] = std::move(problems);
        co_return Response::json(boost::json::serialize(health));
    }
    if (request.target == "/metrics" && request.method == "GET") {
        if (!shared.options.metrics_token.empty() &&
            !bearer_matches(request, shared.options.metrics_token))
            co_return error_of(errors::invalid_token());
        Response r;
        r.body = shared.metrics.render();
        r.content_type = "text/plain; version=0.0.4";
        co_return r;
    }
    struct Slot {
        std::atomic<std::size_t>& n;
        ~Slot() { n.fetch_sub(1); }
    } slot{shared.handling};
    if (shared.handling.fetch_add(1) >= shared.options.handler_queue) {
        spdlog::warn("{} {}: the handler queue is full", request.method,
                     request.target.substr(0, request.target.find('?')));
        Response busy = error_of(errors::unavailable());
        for (const auto& h : errors::unavailable().headers) busy.headers.push_back(h);
        co_return busy;
    }
    // A route that hashes waits for a hasher on the lane's threads, not the handlers'.
    const bool reads =
        request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
    const bool hashing = shared.hashing != nullptr && shared.dispatcher.hashing(request);
    if (Lane* lane = hashing                                        ? nullptr
                     : shared.writing_together != nullptr && !reads ? shared.writing_together
                                                                    : shared.taking) {
        Outcome out = co_await lane->answer(request);
        route = out.route;
        co_return std::move(out.response);
    }
    asio::thread_pool& pool = hashing                               ? *shared.hashing
                              : shared.writing != nullptr && !reads ? *shared.writing
                                                                    : *shared.handlers;
    Outcome out = co_await asio::co_spawn(
        pool, [&]() -> awaitable<Outcome> { co_return shared.dispatcher.handle(request); },
        asio::use_awaitable);
    route = out.route;
    co_return std::move(out.response);
}

// Reads until the buffer holds a whole header section or `limit` bytes, so that its lines can be
// checked as they arrived, before the parser unfolds them. A read that fails is left for the
// parser's read to meet and report.
awaitable<void> read_header_section(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                    std::size_t limit) {
    for (;;) {
        const auto data = buffer.data();
        const std::string_view received(static_cast<const char*>(data.data()), data.size());
        if (received.size() >= limit || header_section(received)) co_return;
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), use_tuple);
        if (ec) co_return;
        buffer.commit(n);
    }
}

awaitable<void> refuse(beast::tcp_stream& stream, const std::string& problem) {
    auto res = to_beast(error_of(errors::bad_request(problem)), 11, false, false);
    co_await bhttp::async_write(stream, res, use_tuple);
}

awaitable<void> session(Shared& shared, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    // A stop closes the socket on this connection's strand, unless the session has ended by then
    // (`open` is cleared on the same strand before the stream goes away).
    auto open = std::make_shared<bool>(true);
    const auto key = shared.connections.add([&stream, open, ex = stream.get_executor()] {
        asio::post(ex, [&stream, open] {
            if (!*open) return;
            boost::system::error_code ignored;
            stream.socket().close(ignored);
        });
    });
    struct Registered {
        Shared& shared;
        std::uint64_t key;
        std::shared_ptr<bool> open;
        ~Registered() {
            *open = false;
            shared.connections.remove(key);
        }
    } registered{shared, key, open};
    beast::flat_buffer buffer;
    std::string remote;
    {
        boost::system::error_code ec;
        auto ep = stream.socket().remote_endpoint(ec);
        if (!ec) remote = ep.address().to_string();
    }
    for (;;) {
        bhttp::request_parser<bhttp::string_body> parser;
        // An upload's declared length is checked against its own limit once its path is known.
        parser.body_limit(
            std::max<std::uint64_t>(shared.options.body_limit, shared.options.upload_limit));
        constexpr std::size_t kHeaderLimit = 64 * 1024;
        parser.header_limit(kHeaderLimit);
        stream.expires_after(shared.options.read_timeout);
        co_await read_header_section(stream, buffer, kHeaderLimit);
        {
            const auto data = buffer.data();
            const auto section =
                header_section({static_cast<const char*>(data.data()), data.size()});
            if (auto problem = section ? folding_problem(*section) : std::nullopt) {
                co_await refuse(stream, *problem);
                break;
            }
        }
        auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
        if (hec) {
            if (hec == bhttp::error::body_limit) {
                // The declared Content-Length is over the limit.
                auto res = to_beast(error_of(errors::payload_too_large()), 11, false, false);
                shared.metrics.record(nullptr, 413, 0);
                co_await bhttp::async_write(stream, res, use_tuple);
            } else if (hec == bhttp::error::header_limit) {
                auto res = to_beast(error_of(ApiError(431, "Request headers are too large")), 11,
                                    false, false);
                co_await bhttp::async_write(stream, res, use_tuple);
            } else if (hec != bhttp::error::end_of_stream && hec != beast::error::timeout &&
                       hec != asio::error::operation_aborted &&
                       hec != asio::error::connection_reset && hec != asio::error::eof) {
                auto res = to_beast(error_of(errors::bad_request("Malformed HTTP request")), 11,
                                    false, false);
                co_await bhttp::async_write(stream, res, use_tuple);
            }
            break;
        }

        // From here the request is in flight: a graceful stop waits for it.
        auto& in_flight = shared.metrics.in_flight();
        in_flight.fetch_add(1);
        struct Done {
            std::atomic<std::int64_t>& n;
            ~Done() { n.fetch_sub(1); }
        } done{in_flight};
        const auto started = std::chrono::steady_clock::now();

        {
            std::vector<std::string_view> codings;
            const auto [first, last] = parser.get().equal_range(bhttp::field::transfer_encoding);
            for (auto f = first; f != last; ++f) codings.push_back(f->value());
            if (auto problem =
                    framing_problem(codings, parser.get().count(bhttp::field::content_length))) {
                co_await refuse(stream, *problem);
                break;
            }
        }
        const bool upload = !shared.options.upload_prefix.empty() &&
                            parser.get().method() == bhttp::verb::put &&
                            parser.get().target().starts_with(shared.options.upload_prefix);
        const std::uint64_t limit =
            upload ? shared.options.upload_limit : shared.options.body_limit;
        if (auto length = parser.content_length(); length && *length > limit) {
            auto res = to_beast(error_of(errors::payload_too_large()), parser.get().version(),
                                false, false);
            shared.metrics.record(nullptr, 413, 0);
            co_await bhttp::async_write(stream, res, use_tuple);
            break;
        }
        // An upload is accepted, by its URL's secret, before its body is read; only so many
        // at once.
        struct Slot {
            std::atomic<unsigned>* count = nullptr;
            ~Slot() {
                if (count) count->fetch_sub(1);
            }
        } upload_slot;
        if (upload) {
            if (shared.uploading.fetch_add(1) >= shared.options.uploads_at_once) {
                shared.uploading.fetch_sub(1);
                auto res = to_beast(error_of(errors::unavailable(5)), 11, false, false);
                co_await bhttp::async_write(stream, res, use_tuple);
                break;
            }
            upload_slot.count = &shared.uploading;
            if (!shared.options.accept_upload(parser.get().target())) {
                auto res = to_beast(error_of(errors::forbidden(
                                        "This upload URL is not valid, has expired or was used")),
                                    11, false, false);
                co_await bhttp::async_write(stream, res, use_tuple);
                break;
            }
        }
        if (parser.get()[bhttp::field::expect] == "100-continue") {
            bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
            co_await bhttp::async_write(stream, cont, use_tuple);
        }
        Request request;
        UploadFile upload_file;
        std::optional<bhttp::request_parser<bhttp::file_body>> file_parser;
        beast::error_code bec;
        if (upload) {
            upload_file = UploadFile::in(shared.options.upload_dir);
            file_parser.emplace(std::move(parser));
            file_parser->body_limit(limit);
            file_parser->get().body().open(upload_file.path.c_str(), beast::file_mode::write, bec);
            if (bec) {
                spdlog::error("cannot store an upload in {}: {}", upload_file.path, bec.message());
                auto res = to_beast(error_of(errors::unavailable()), 11, false, false);
                co_await bhttp::async_write(stream, res, use_tuple);
                break;
            }
            while (!bec && !file_parser->is_done()) {
                // A large upload takes long: the timeout is for each read, not the whole body.
                stream.expires_after(shared.options.read_timeout);
                auto [rec, rn] =
                    co_await bhttp::async_read_some(stream, buffer, *file_parser, use_tuple);
                bec = rec;
            }
            file_parser->get().body().close();
            request.body_file = upload_file.path;
        } else {
            parser.body_limit(limit);
            auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
            bec = rec;
            request.body = std::move(parser.get().body());
        }
        if (bec) {
            if (bec == bhttp::error::body_limit) {
                auto res = to_beast(error_of(errors::payload_too_large()), 11, false, false);
                shared.metrics.record(nullptr, 413, 0);
                co_await bhttp::async_write(stream, res, use_tuple);
            }
            break;
        }

        const bhttp::request_header<>& req =
            upload ? file_parser->get().base() : parser.get().base();
        const bool wants_keep_alive =
            upload ? file_parser->get().keep_alive() : parser.get().keep_alive();
        request.method = std::string(req.method_string());
        request.target = std::string(req.target());
        request.remote_address = remote;
        for (const auto& field : req) {
            std::string name(field.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request.headers.emplace(std::move(name), std::string(field.value()));
        }
        apply_forwarding(request, shared.options.trusted_proxies);

        const Route* route = nullptr;
        Response response = co_await answer(shared, request, route);
        secure_cookies(response, request);
        const int status = response.status;
        const bool keep_alive = wants_keep_alive && !shared.stopping.load();
        auto res = to_beast(std::move(response), req.version(), keep_alive,
                            req.method() == bhttp::verb::head);
        auto [wec, wn] = co_await bhttp::async_write(stream, res, use_tuple);
        shared.metrics.record(
            route, status,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (wec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

awaitable<void> listen(Shared& shared, tcp::acceptor& acceptor) {
    for (;;) {
        // Each connection's socket, timer and session run on a strand of their own: the I/O
        // threads never touch one connection at the same time (a read timing out on one thread
        // while the session closes the socket on another).
        auto [ec, socket] =
            co_await acceptor.async_accept(asio::make_strand(acceptor.get_executor()), use_tuple);
        if (ec) {
            if (shared.stopping.load() || ec == asio::error::operation_aborted) co_return;
            spdlog::warn("accept failed: {}", ec.message());
            continue;
        }
        socket.set_option(tcp::no_delay(true));
        auto executor = socket.get_executor();
        asio::co_spawn(executor, session(shared, std::move(socket)), [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                spdlog::error("session ended by an exception: {}", ex.what());
            }
        });
    }
}

// The handler threads the options ask for (their default from the cores).
unsigned handler_threads(const ServerOptions& options) {
    return options.handler_threads
               ? options.handler_threads
               : std::max(4u, 2 * std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

void serve(const ServerOptions& options, const Dispatcher& dispatcher, Metrics& metrics,
           const std::function<void(std::uint16_t)>& on_ready) {
    const unsigned threads =
        options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    asio::io_context ioc(static_cast<int>(threads));
    std::optional<asio::thread_pool> handlers, hashing, writing;
    std::optional<Lane> taking, writing_together;
    if (options.hashing_threads > 0) hashing.emplace(options.hashing_threads);
    if (options.batch > 1) {
        taking.emplace(dispatcher, metrics, handler_threads(options), options.batch);
        if (options.writing_threads > 0)
            writing_together.emplace(dispatcher, metrics, options.writing_threads, options.batch);
    } else {
        handlers.emplace(handler_threads(options));
        if (options.writing_threads > 0) writing.emplace(options.writing_threads);
    }
    Shared shared{options,
                  dispatcher,
                  metrics,
                  handlers ? &*handlers : nullptr,
                  hashing ? &*hashing : nullptr,
                  writing ? &*writing : nullptr,
                  taking ? &*taking : nullptr,
                  writing_together ? &*writing_together : nullptr,
                  {}};
    if (!options.upload_dir.empty()) sweep_abandoned_uploads(options.upload_dir);

    tcp::endpoint endpoint{asio::ip::make_address(options.host), options.port};
    tcp::acceptor acceptor(ioc);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);

    asio::co_spawn(ioc, listen(shared, acceptor), asio::detached);

    // SIGTERM/SIGINT: stop accepting, let requests in flight finish, then stop.
    asio::signal_set signals(ioc, SIGTERM, SIGINT);
    asio::steady_timer drain(ioc);
    std::chrono::steady_clock::time_point deadline, sessions_deadline;
    std::function<void()> wait_for_sessions;
    std::function<void()> wait_for_drain = [&] {
        if (metrics.in_flight().load() == 0 || std::chrono::steady_clock::now() > deadline) {
            // Idle connections are closed and their sessions end while the I/O threads still
            // run; then the threads stop (after a grace period at most).
            shared.connections.close_all();
            sessions_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
            wait_for_sessions();
            return;
        }
        drain.expires_after(std::chrono::milliseconds(20));
        drain.async_wait([&](boost::system::error_code) { wait_for_drain(); });
    };
    wait_for_sessions = [&] {
        if (shared.connections.empty() || std::chrono::steady_clock::now() > sessions_deadline) {
            ioc.stop();
            return;
        }
        drain.expires_after(std::chrono::milliseconds(10));
        drain.async_wait([&](boost::system::error_code) { wait_for_sessions(); });
    };
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec) return;
        spdlog::info("signal {}: stopping after {} request(s) in flight", signal,
                     metrics.in_flight().load());
        shared.stopping = true;
        deadline = std::chrono::steady_clock::now() + options.drain_timeout;
        boost::system::error_code ignored;
        acceptor.close(ignored);
        wait_for_drain();
    });

    on_ready(acceptor.local_endpoint().port());

    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
    if (handlers) handlers->join();
    if (hashing) hashing->join();
    if (writing) writing->join();
    if (taking) taking->join();
    if (writing_together) writing_together->join();
}

}  // namespace linnet::http
