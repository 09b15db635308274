// IPv6 ranges: a /64 or /56 routed to a Linode's SLAAC address (its route target), taken from
// Linnet's documentation prefix (2001:db8:8000::/33: /64s from 2001:db8:8000::/34, /56s from
// 2001:db8:c000::/34), each range once across Linnet (the table's key). Every statement on
// ipv6_ranges lives in ipv6_ranges.cpp.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/listing.hpp"

namespace linnet::linodes {

struct Ipv6Range {
    std::string address;  // "2001:db8:8000:1::"
    std::int64_t prefix = 64;
    std::string region;
    std::int64_t linode_id = 0;
    std::string route_target;  // the Linode's SLAAC address, read with the range
    std::string created;
};

class Ipv6RangeRepository {
  public:
    explicit Ipv6RangeRepository(store::Transaction& tx) : tx_(tx) {}

    // Takes the next free range of `prefix` (56 or 64) for the Linode.
    Ipv6Range allocate(std::int64_t linode_id, const std::string& region, std::int64_t prefix);
    // The range of a Linode of the scope's account, by its address.
    std::optional<Ipv6Range> find(const std::string& address);
    std::vector<Ipv6Range> of_linode(std::int64_t linode_id);
    void remove(const std::string& address);

    // Ranges routed to the Linodes (by linode_id) a caller may see.
    static store::Listing listing(const std::pair<std::string, store::Params>& visible);

  private:
    store::Transaction& tx_;
};

// The range's address for its index in its pool.
std::string range_address(std::int64_t prefix, std::uint32_t index);
boost::json::object range_doc(const Ipv6Range& r);

}  // namespace linnet::linodes
