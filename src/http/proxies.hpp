// The proxies a server believes (--trusted-proxies): a request that arrives from one of them is
// taken as the proxy describes it, with X-Forwarded-Proto (https makes it secure, and its cookies
// Secure) and X-Forwarded-For (the client's address, for rate limits and sign-in throttles). From
// any other peer those headers are ignored: a client cannot claim an address or a scheme.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace linnet::http {

class TrustedProxies {
  public:
    TrustedProxies() = default;
    // A comma-separated list of addresses and networks ("127.0.0.1, 10.0.0.0/8, ::1");
    // std::invalid_argument names an entry that is neither.
    static TrustedProxies parse(std::string_view list);

    bool trusts(std::string_view address) const;
    bool empty() const { return networks_.empty(); }

  private:
    struct Network {
        std::array<unsigned char, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
        unsigned prefix = 0;                    // of the 128 bits
    };
    std::vector<Network> networks_;
};

// Takes the request as its proxy describes it when the peer is trusted: secure when the last
// X-Forwarded-Proto is https, and the remote address is the right-most X-Forwarded-For address
// that is not itself a trusted proxy.
void apply_forwarding(Request& request, const TrustedProxies& proxies);

// Marks the response's cookies Secure when the request came over HTTPS.
void secure_cookies(Response& response, const Request& request);

}  // namespace linnet::http
