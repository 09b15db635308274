// The metadata socket's server: Boost.Beast over a local stream socket, on one thread of its
// own (metadata requests are few and short).
#include "metadata/metadata_listener.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <thread>

#include "metadata/metadata_service.hpp"

namespace linnet::metadata {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using local = asio::local::stream_protocol;
using Stream = beast::basic_stream<local>;

namespace {

constexpr std::size_t kMaxConnections = 64;
constexpr std::size_t kBodyLimit = 64 * 1024;
constexpr auto kIdle = std::chrono::seconds(30);

std::optional<std::int64_t> linode_of_preamble(std::string_view line) {
    if (line.rfind("linode ", 0) != 0) return std::nullopt;
    try {
        std::size_t used = 0;
        const auto id = std::stoll(std::string(line.substr(7)), &used);
        if (used != line.size() - 7 || id <= 0) return std::nullopt;
        return id;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<std::string> header(const http::request<http::string_body>& req,
                                  std::string_view name) {
    auto it = req.find(name);
    if (it == req.end()) return std::nullopt;
    return std::string(it->value());
}

}  // namespace

std::string preamble(std::int64_t linode_id) {
    return "linode " + std::to_string(linode_id) + "\n";
}

struct Listener::State {
    State(store::Database& db, TokenKey key) : service(db, std::move(key)) {}
    Service service;
    asio::io_context io{1};
    std::unique_ptr<local::acceptor> acceptor;
    std::atomic<std::size_t> connections{0};
    std::thread thread;

    awaitable<void> session(Stream stream) {
        struct Count {
            std::atomic<std::size_t>& n;
            ~Count() { --n; }
        } count{connections};
        // The preamble is read into a string (a dynamic buffer that refers to it); what came
        // after it is the start of the first request.
        std::string head;
        stream.expires_after(kIdle);
        auto [ec, n] = co_await asio::async_read_until(stream, asio::dynamic_buffer(head, 4096),
                                                       "\n", asio::as_tuple(asio::use_awaitable));
        if (ec || n > 64) co_return;
        const auto linode = linode_of_preamble(std::string_view(head).substr(0, n - 1));
        beast::flat_buffer buffer;
        const std::size_t rest = head.size() - n;
        buffer.commit(asio::buffer_copy(buffer.prepare(rest), asio::buffer(head.data() + n, rest)));
        if (!linode) co_return;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(kBodyLimit);
            parser.header_limit(16 * 1024);
            stream.expires_after(kIdle);
            auto [read_ec, read] = co_await http::async_read(stream, buffer, parser,
                                                             asio::as_tuple(asio::use_awaitable));
            if (read_ec) co_return;
            const auto& req = parser.get();
            Request request{std::string(req.method_string()), std::string(req.target()),
                            header(req, "Accept").value_or(""), header(req, "Metadata-Token"),
                            header(req, "Metadata-Token-Expiry-Seconds")};
            Response answer;
            try {
                answer = service.answer(*linode, request);
            } catch (const std::exception& e) {
                spdlog::warn("metadata: linode {}: {}", *linode, e.what());
                answer.status = 503;
                answer.content_type = "application/json";
                answer.body = R"({"errors":[{"reason":"The Metadata service is unavailable"}]})";
            }
            http::response<http::string_body> res{static_cast<http::status>(answer.status),
                                                  req.version()};
            res.set(http::field::server, "linnet-metadata");
            res.set(http::field::content_type, answer.content_type);
            if (!answer.allow.empty()) res.set(http::field::allow, answer.allow);
            res.keep_alive(req.keep_alive());
            if (req.method() != http::verb::head) res.body() = std::move(answer.body);
            res.prepare_payload();
            stream.expires_after(kIdle);
            auto [write_ec, written] =
                co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            if (write_ec || !res.keep_alive()) co_return;
        }
    }

    awaitable<void> accept() {
        for (;;) {
            auto [ec, socket] =
                co_await acceptor->async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) {
                if (ec == asio::error::operation_aborted) co_return;
                continue;
            }
            if (connections >= kMaxConnections) continue;  // closed as it goes out of scope
            ++connections;
            asio::co_spawn(io, session(Stream(std::move(socket))), asio::detached);
        }
    }
};

Listener::Listener(store::Database& db, const std::filesystem::path& socket,
                   const std::filesystem::path& key_file)
    : state_(std::make_unique<State>(db, TokenKey::load_or_create(key_file))) {
    std::error_code ignored;
    std::filesystem::remove(socket, ignored);
    // Made with no access for others from the start (no window before a chmod).
    const mode_t old = ::umask(0177);
    try {
        state_->acceptor =
            std::make_unique<local::acceptor>(state_->io, local::endpoint(socket.string()));
    } catch (...) {
        ::umask(old);
        throw;
    }
    ::umask(old);
    asio::co_spawn(state_->io, state_->accept(), asio::detached);
    state_->thread = std::thread([s = state_.get()] { s->io.run(); });
}

Listener::~Listener() {
    stop();
}

void Listener::stop() {
    if (!state_->thread.joinable()) return;
    state_->io.stop();
    state_->thread.join();
}

}  // namespace linnet::metadata
