// A config profile's network interfaces, read from requests as the spec describes them (a Linode
// create, a config's POST and PUT, POST .../interfaces): purpose public, vlan or vpc; at most
// three, one public, one primary and one vpc; a vlan's label (letters, digits and single
// hyphens) and ipam_address (CIDR) unique among them; a vpc interface's subnet_id, addresses
// (ipv4.vpc, ipv4.nat_1_1) and ip_ranges as asked, settled against its subnet by
// vpc_interfaces.hpp; ids assigned here, never taken from the request. Each problem names its
// field path ("interfaces[1].label").
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.hpp"

namespace linnet::linodes {

inline constexpr std::size_t kMaxInterfaces = 3;

// The stored list for the value of an `interfaces` field (null: none); nothing when a problem
// was recorded in `reader`. An interface sent with the id of one of `existing` of the same
// purpose keeps it (a profile sent back as GET showed it); the others are numbered after them.
std::optional<boost::json::array> read_interfaces(const boost::json::value& sent,
                                                  BodyReader& reader,
                                                  const boost::json::array& existing = {});

// One interface added to a config whose list is `existing`, as the body of
// POST .../interfaces gives it (field paths without a prefix); nothing on a problem.
std::optional<boost::json::object> read_added_interface(const boost::json::object& sent,
                                                        BodyReader& reader,
                                                        const boost::json::array& existing);

// An address with a prefix length ("10.0.0.0/24"), and an address alone.
bool valid_cidr(std::string_view text);
bool valid_address(std::string_view text);

// The id after the largest of a stored list's.
std::int64_t next_interface_id(const boost::json::array& existing);

}  // namespace linnet::linodes
