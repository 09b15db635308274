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

Vpc create(store::Transaction& tx, const Actor& actor, Vpc v);
void update(store::Transaction& tx, const Actor& actor, Vpc& v, const Vpc& was);
void remove(store::Transaction& tx, const Actor& actor, const Vpc& v);
Subnet create_subnet(store::Transaction& tx, const Actor& actor, const Vpc& v, Subnet s);
void update_subnet(store::Transaction& tx, const Actor& actor, const Vpc& v, Subnet& s);
void remove_subnet(store::Transaction& tx, const Actor& actor, const Vpc& v, const Subnet& s);

}  // namespace linnet::vpcs
