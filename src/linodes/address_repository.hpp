// A Linode's addresses (the ips table), the addresses shared with it (ip_shares) and the
// allocation cursor of each address pool (address_cursors): every statement on them lives in
// address_repository.cpp.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/listing.hpp"

namespace linnet::linodes {

struct Address {
    std::string address;
    std::optional<std::int64_t> linode_id;
    std::optional<std::int64_t> nodebalancer_id;  // a NodeBalancer's address (no Linode's)
    std::string family;                           // ipv4 | ipv6
    std::string kind;                             // public | private | slaac | link_local
    bool is_public = false;
    std::int64_t prefix = 0;
    std::optional<std::string> gateway;
    std::string subnet_mask;
    std::string region;
    std::optional<std::string> rdns;
    std::string linode_label;  // filled where the query joins it
};

// The document of an address as /linode/instances/{id}/ips/{address} answers it.
boost::json::object address_doc(const Address& a);

class AddressRepository {
  public:
    explicit AddressRepository(store::Transaction& tx) : tx_(tx) {}
    // The Linode shares no address any more, and none of its addresses is shared (it goes to
    // another account).
    void unshare_linode(std::int64_t linode_id);

    // A Linode's addresses by address, with its label.
    std::vector<Address> of_linode(std::int64_t linode_id);
    std::optional<Address> find(const std::string& address);
    // The first public IPv4 of the Linode by address.
    std::optional<std::string> first_public_ipv4(std::int64_t linode_id);
    // Announces first_public_ipv4's read (Transaction::read_ahead).
    void read_ahead_first_public_ipv4(std::int64_t linode_id);
    std::int64_t count_ipv4(std::int64_t linode_id, bool is_public);

    // Adds the address unless it is taken (the address is the key); true when added.
    bool insert_if_free(const Address& a);
    void insert(const Address& a);
    void set_rdns(const std::string& address, const std::optional<std::string>& rdns);
    void remove(const std::string& address);
    void move_region(std::int64_t linode_id, const std::string& region);
    // The address moves to another Linode (/networking/ips/assign).
    void assign(const std::string& address, std::int64_t linode_id);
    // The addresses of other Linodes that `linode_id` may bring up (IP sharing), replacing those
    // it had; they stay their own Linodes' (ip_shares).
    void set_shared(std::int64_t linode_id, const std::vector<std::string>& addresses);
    std::vector<Address> shared_with(std::int64_t linode_id);
    bool is_shared(const std::string& address);

    // Where the pool's next allocation starts; read_ahead_cursor() announces the read where the
    // starts are a sequence's (Transaction::read_ahead_kept).
    std::uint32_t cursor(const std::string& pool);
    void read_ahead_cursor();
    void set_cursor(const std::string& pool, std::uint32_t next_offset);

    // Addresses assigned to Linodes, each rendered with its Linode's label; `visible` narrows
    // them to the Linodes (by linode_id) a caller may see.
    store::Listing listing(const std::pair<std::string, store::Params>& visible);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::linodes
