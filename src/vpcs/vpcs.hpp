// The rules of a VPC's life: its label and region, its subnets (private ranges, apart from each
// other and from the Linodes' private addresses), and the events each change records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "vpcs/vpc_repository.hpp"

namespace linnet::vpcs {

struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

// Why a label is not a VPC's or a subnet's (1-64 letters, digits and hyphens, no two hyphens
// together), or nullopt.
std::optional<std::string> label_problem(const std::string& label);
// Why `cidr` cannot be a subnet's range, or nullopt; `canonical` gets its canonical form.
std::optional<std::string> range_problem(const std::string& cidr, std::string& canonical);
// Whether two canonical ranges overlap.
bool overlap(const std::string& a, const std::string& b);

// A subnet's addresses: its first host address is the gateway; the network and broadcast
// addresses and the gateway are no interface's.
std::string gateway_of(const std::string& subnet);
std::string mask_of(const std::string& subnet);
int prefix_of(const std::string& subnet);
// Why `address` cannot be an interface's in `subnet`, or nullopt.
std::optional<std::string> host_problem(const std::string& subnet, const std::string& address);
// Whether `range` (a CIDR) lies within `subnet`.
bool within_subnet(const std::string& subnet, const std::string& range);
// The lowest address of `subnet` an interface may have that `taken` does not hold.
std::optional<std::string> first_free(const std::string& subnet,
                                      const std::vector<std::string>& taken);

Vpc create(store::Transaction& tx, const Actor& actor, Vpc v);
void update(store::Transaction& tx, const Actor& actor, Vpc& v, const Vpc& was);
void remove(store::Transaction& tx, const Actor& actor, const Vpc& v);
Subnet create_subnet(store::Transaction& tx, const Actor& actor, const Vpc& v, Subnet s);
void update_subnet(store::Transaction& tx, const Actor& actor, const Vpc& v, Subnet& s);
void remove_subnet(store::Transaction& tx, const Actor& actor, const Vpc& v, const Subnet& s);

}  // namespace linnet::vpcs
