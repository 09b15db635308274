// The checks as coroutines over Boost.Beast (HTTP, and HTTPS through OpenSSL) and Asio (TCP),
// each step bounded by the stream's expiry.
#include "managed/probe.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <vector>

#include "managed/addresses.hpp"

namespace linnet::managed {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Whatever is read past this is not looked at.
constexpr std::size_t kMaxBody = 1 << 20;

// The GET and its answer on a connected stream (the stream's expiry bounds each step).
template <class Stream>
asio::awaitable<ProbeResult> exchange(Stream& stream, std::string host, std::string target,
                                      std::optional<std::string> body) {
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, host);
    request.set(http::field::user_agent, "linnet-managed");
    request.set(http::field::connection, "close");
    co_await http::async_write(stream, request, asio::use_awaitable);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    auto [ec, bytes] =
        co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)bytes;
    if (ec && !parser.is_header_done()) co_return ProbeResult{false, ec.message()};
    const unsigned status = parser.get().result_int();
    const std::string seen = "HTTP " + std::to_string(status);
    if (status < 200 || status >= 400) co_return ProbeResult{false, seen};
    if (body && !body->empty() && parser.get().body().find(*body) == std::string::npos)
        co_return ProbeResult{false, seen + " without the expected body"};
    co_return ProbeResult{true, seen};
}

// The endpoints a check may connect to (see managed/addresses.hpp).
std::vector<tcp::endpoint> allowed(const tcp::resolver::results_type& endpoints, bool loopback) {
    std::vector<tcp::endpoint> out;
    for (const auto& e : endpoints) {
        const auto c = classify(e.endpoint().address().to_string());
        if (c == AddressClass::forbidden || (c == AddressClass::loopback && !loopback)) continue;
        out.push_back(e.endpoint());
    }
    return out;
}

constexpr const char* kNotAllowed = "the address is not one a service may be checked at";

asio::awaitable<ProbeResult> check_url(std::string address, std::chrono::seconds timeout,
                                       std::optional<std::string> body, bool loopback) {
    const auto url = boost::urls::parse_uri(address);
    if (!url) co_return ProbeResult{false, "not a URL"};
    const bool tls = url->scheme() == "https";
    if (!tls && url->scheme() != "http") co_return ProbeResult{false, "not an http or https URL"};
    const std::string host = url->host();
    const std::string port =
        url->has_port() ? std::string(url->port()) : std::string(tls ? "443" : "80");
    std::string target = url->encoded_path().empty() ? "/" : std::string(url->encoded_path());
    if (url->has_query()) target += "?" + std::string(url->encoded_query());
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    const auto endpoints =
        allowed(co_await resolver.async_resolve(host, port, asio::use_awaitable), loopback);
    if (endpoints.empty()) co_return ProbeResult{false, kNotAllowed};
    if (!tls) {
        beast::tcp_stream stream(executor);
        stream.expires_after(timeout);
        co_await stream.async_connect(endpoints, asio::use_awaitable);
        co_return co_await exchange(stream, host, target, body);
    }
    asio::ssl::context tls_context(asio::ssl::context::tls_client);
    tls_context.set_verify_mode(asio::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream> stream(executor, tls_context);
    SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
    beast::get_lowest_layer(stream).expires_after(timeout);
    co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
    co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    co_return co_await exchange(stream, host, target, body);
}

asio::awaitable<ProbeResult> check_tcp(std::string address, std::chrono::seconds timeout,
                                       bool loopback) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) co_return ProbeResult{false, "not HOST:PORT"};
    std::string host = address.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    const auto endpoints = allowed(
        co_await resolver.async_resolve(host, address.substr(colon + 1), asio::use_awaitable),
        loopback);
    if (endpoints.empty()) co_return ProbeResult{false, kNotAllowed};
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    co_return ProbeResult{true, "connected"};
}

}  // namespace

ProbeResult probe(const std::string& service_type, const std::string& address,
                  std::chrono::seconds timeout, const std::optional<std::string>& body,
                  bool loopback, const std::atomic<bool>* stopping) {
    asio::io_context io;
    ProbeResult result{false, "timed out"};
    auto check = service_type == "tcp" ? check_tcp(address, timeout, loopback)
                                       : check_url(address, timeout, body, loopback);
    asio::co_spawn(io, std::move(check), [&](std::exception_ptr failed, ProbeResult r) {
        if (!failed) {
            result = std::move(r);
            return;
        }
        try {
            std::rethrow_exception(failed);
        } catch (const boost::system::system_error& e) {
            result = {false, e.code() == beast::error::timeout ? "timed out" : e.code().message()};
        } catch (const std::exception& e) {
            result = {false, e.what()};
        }
    });
    // Name resolution is not bounded by the streams' expiry: the whole check is, and a process
    // that stops does not wait for it.
    const auto deadline = std::chrono::steady_clock::now() + timeout + std::chrono::seconds(1);
    while (!io.stopped() && std::chrono::steady_clock::now() < deadline) {
        if (stopping != nullptr && stopping->load()) return {false, "stopped"};
        io.run_for(std::chrono::milliseconds(200));
    }
    return result;
}

}  // namespace linnet::managed
