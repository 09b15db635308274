// Address classes from the bytes of IPv4 and IPv6 addresses.
#include "managed/addresses.hpp"

#include <arpa/inet.h>

#include <cstdint>

namespace linnet::managed {

AddressClass classify(std::string host) {
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        const std::uint32_t a = ntohl(v4.s_addr);
        const std::uint32_t top = a >> 24;
        if (top == 127) return AddressClass::loopback;
        if (top == 0 || (a >> 16) == ((169u << 8) | 254) || top >= 224)
            return AddressClass::forbidden;
        if (top == 10 || (a >> 20) == ((172u << 4) | 1) || (a >> 16) == ((192u << 8) | 168))
            return AddressClass::private_address;
        return AddressClass::public_address;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        if (IN6_IS_ADDR_LOOPBACK(&v6)) return AddressClass::loopback;
        if (IN6_IS_ADDR_V4MAPPED(&v6)) {
            char text[INET_ADDRSTRLEN] = {};
            inet_ntop(AF_INET, &v6.s6_addr[12], text, sizeof text);
            return classify(text);
        }
        if (IN6_IS_ADDR_UNSPECIFIED(&v6) || IN6_IS_ADDR_LINKLOCAL(&v6) ||
            IN6_IS_ADDR_MULTICAST(&v6))
            return AddressClass::forbidden;
        if ((v6.s6_addr[0] & 0xfe) == 0xfc) return AddressClass::private_address;
        return AddressClass::public_address;
    }
    // A name: what it resolves to is checked when the service is.
    if (host == "localhost" || host.ends_with(".localhost")) return AddressClass::loopback;
    return AddressClass::public_address;
}

}  // namespace linnet::managed
