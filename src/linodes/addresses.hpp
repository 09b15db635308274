// IP addresses of Linodes: public IPv4s from a configurable pool (never given to two Linodes,
// even under concurrent creates: the address is the table's primary key), private IPv4s from
// 192.168.128.0/17, and one IPv6 SLAAC address per Linode.
#pragma once

#include <cstdint>
#include <string>

#include "store/database.hpp"

namespace linnet::linodes {

struct Ipv4Pool {
    std::uint32_t base = 0;  // network address, host order
    std::uint32_t size = 0;  // number of addresses
    std::string cidr;
    // Parses "198.18.0.0/15"; throws std::invalid_argument.
    static Ipv4Pool parse(const std::string& cidr);
};

const Ipv4Pool& private_pool();

// Takes the next free address of the pool for the Linode; 400 when the pool is exhausted.
std::string allocate_ipv4(store::Transaction& tx, const Ipv4Pool& pool, std::int64_t linode_id,
                          const std::string& region, bool is_public);
// Takes the next free public address of the pool for a NodeBalancer, and gives it an IPv6.
std::string allocate_nodebalancer_address(store::Transaction& tx, const Ipv4Pool& pool,
                                          std::int64_t nodebalancer_id, const std::string& region);
void assign_ipv6(store::Transaction& tx, std::int64_t linode_id, const std::string& region);

std::string ipv4_text(std::uint32_t address);
// The default reverse name of a public address: 198-18-0-2.ip.linnet.internal.
std::string reverse_name(std::string address);

}  // namespace linnet::linodes
