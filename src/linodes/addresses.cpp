// Address allocation: a cursor per pool walks the pool; an address in use is skipped.
#include "linodes/addresses.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <stdexcept>
#include <tuple>

#include "core/error.hpp"
#include "linodes/address_repository.hpp"

namespace linnet::linodes {

std::string reverse_name(std::string address) {
    for (auto& c : address)
        if (c == '.') c = '-';
    return address + ".ip.linnet.internal";
}

std::string ipv4_text(std::uint32_t address) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", address >> 24, (address >> 16) & 0xff,
                  (address >> 8) & 0xff, address & 0xff);
    return buf;
}

Ipv4Pool Ipv4Pool::parse(const std::string& cidr) {
    auto slash = cidr.find('/');
    if (slash == std::string::npos) throw std::invalid_argument("pool must be CIDR: " + cidr);
    in_addr addr{};
    if (inet_pton(AF_INET, cidr.substr(0, slash).c_str(), &addr) != 1)
        throw std::invalid_argument("bad pool address: " + cidr);
    const int prefix = std::stoi(cidr.substr(slash + 1));
    if (prefix < 8 || prefix > 30)
        throw std::invalid_argument("pool prefix must be 8..30: " + cidr);
    Ipv4Pool p;
    p.size = 1u << (32 - prefix);
    p.base = ntohl(addr.s_addr) & ~(p.size - 1);
    p.cidr = cidr;
    return p;
}

const Ipv4Pool& private_pool() {
    static const Ipv4Pool pool = Ipv4Pool::parse("192.168.128.0/17");
    return pool;
}

namespace {

// Takes the next free address of the pool for `a`'s owner (its other fields as given).
std::string allocate(store::Transaction& tx, const Ipv4Pool& pool, Address a) {
    AddressRepository addresses(tx);
    // One writer at a time (SQLite) walks on from the cursor; writers side by side (PostgreSQL)
    // each draw a fresh starting point for every try, so that none walks where another is.
    const bool draws = tx.locks_rows();
    std::uint32_t offset = addresses.cursor(pool.cidr) % pool.size;
    for (std::uint32_t tried = 0; tried < pool.size; ++tried) {
        if (tried > 0) offset = draws ? addresses.cursor(pool.cidr) % pool.size : offset + 1;
        if (offset >= pool.size) offset = 0;
        const std::uint32_t address = pool.base + offset;
        const std::uint32_t host = address & 0xff;
        if (host == 0 || host == 1 || host == 255) continue;  // network, gateway, broadcast
        a.address = ipv4_text(address);
        if (a.is_public) {
            a.gateway = ipv4_text((address & 0xffffff00u) | 1u);
            a.rdns = reverse_name(a.address);
        }
        if (!addresses.insert_if_free(a)) continue;
        addresses.set_cursor(pool.cidr, offset + 1);
        return a.address;
    }
    throw errors::bad_request("No IPv4 addresses are available in this region.", "region");
}

}  // namespace

std::string allocate_ipv4(store::Transaction& tx, const Ipv4Pool& pool, std::int64_t linode_id,
                          const std::string& region, bool is_public) {
    Address a;
    a.linode_id = linode_id;
    a.family = "ipv4";
    a.kind = is_public ? "public" : "private";
    a.is_public = is_public;
    a.prefix = is_public ? 24 : 17;
    a.subnet_mask = is_public ? "255.255.255.0" : "255.255.128.0";
    a.region = region;
    return allocate(tx, pool, a);
}

std::string allocate_nodebalancer_address(store::Transaction& tx, const Ipv4Pool& pool,
                                          std::int64_t nodebalancer_id, const std::string& region) {
    Address a;
    a.nodebalancer_id = nodebalancer_id;
    a.family = "ipv4";
    a.kind = "public";
    a.is_public = true;
    a.prefix = 24;
    a.subnet_mask = "255.255.255.0";
    a.region = region;
    const std::string ipv4 = allocate(tx, pool, a);
    // Apart from the Linodes' SLAAC addresses (2001:db8::/64), in a /64 of their own.
    char ipv6[64];
    std::snprintf(ipv6, sizeof ipv6, "2001:db8:0:1::%llx",
                  static_cast<unsigned long long>(nodebalancer_id));
    Address six;
    six.address = ipv6;
    six.nodebalancer_id = nodebalancer_id;
    six.family = "ipv6";
    six.kind = "public";
    six.is_public = true;
    six.prefix = 64;
    six.subnet_mask = "ffff:ffff:ffff:ffff::";
    six.region = region;
    AddressRepository(tx).insert(six);
    return ipv4;
}

void assign_ipv6(store::Transaction& tx, std::int64_t linode_id, const std::string& region) {
    char slaac[64], link_local[64];
    const auto id = static_cast<unsigned long long>(linode_id);
    // Each Linode's interface identifier is derived from its id, EUI-64 style, so it never
    // collides with the gateway (fe80::1).
    const unsigned long long high = (id >> 16) & 0xff, low = id & 0xffff;
    std::snprintf(slaac, sizeof slaac, "2001:db8::f03c:91ff:fe%02llx:%llx", high, low);
    std::snprintf(link_local, sizeof link_local, "fe80::f03c:91ff:fe%02llx:%llx", high, low);
    AddressRepository addresses(tx);
    for (const auto& [text, kind, is_public] :
         {std::tuple{std::string(slaac), "slaac", true},
          std::tuple{std::string(link_local), "link_local", false}}) {
        Address a;
        a.address = text;
        a.linode_id = linode_id;
        a.family = "ipv6";
        a.kind = kind;
        a.is_public = is_public;
        a.prefix = 64;
        a.gateway = "fe80::1";
        a.subnet_mask = "ffff:ffff:ffff:ffff::";
        a.region = region;
        addresses.insert(a);
    }
}

}  // namespace linnet::linodes
