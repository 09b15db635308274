// The VPCs aggregate's tables: vpcs (one row each) and vpc_subnets (the ranges of a VPC). Every
// statement on them lives in vpc_repository.cpp, which also reads the Linodes' interfaces in
// them (vpc_ips, written by the configs' repository).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/listing.hpp"

namespace linnet::vpcs {

// A vpc interface of a Linode in a subnet.
struct SubnetInterface {
    std::int64_t linode_id = 0;
    std::int64_t interface_id = 0;
    std::int64_t config_id = 0;
    bool active = false;
};

struct Subnet {
    std::int64_t id = 0;
    std::int64_t vpc_id = 0;
    std::string label;
    std::string ipv4;  // canonical CIDR
    std::string created;
    std::string updated;
    std::vector<SubnetInterface> interfaces;  // in Linode order
};

// A subnet with what an interface joining it needs of its VPC.
struct SubnetOfVpc {
    Subnet subnet;
    std::string region;
};

struct Vpc {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string label;
    std::string region;
    std::string description;
    std::vector<Subnet> subnets;
    std::string created;
    std::string updated;
};

class VpcRepository {
  public:
    explicit VpcRepository(store::Transaction& tx) : tx_(tx) {}

    std::int64_t insert(const Vpc& v);
    // The VPC with its subnets (of the scope's account), locked on engines that lock rows.
    std::optional<Vpc> find(std::int64_t id);
    void save(Vpc& v);
    void remove(std::int64_t id);
    bool label_taken(const std::string& label, std::int64_t except_id);
    std::vector<std::pair<std::int64_t, std::string>> names();

    std::int64_t insert_subnet(const Subnet& s);
    void save_subnet(Subnet& s);
    void remove_subnet(std::int64_t subnet_id);
    std::vector<Subnet> subnets_of(std::int64_t vpc_id);
    // The scope's account's subnet, locked on engines that lock rows (so that the addresses
    // of its interfaces are handed out one request at a time).
    std::optional<SubnetOfVpc> find_subnet(std::int64_t subnet_id);
    // Whether a Linode's interface is in the VPC, or in the subnet.
    bool vpc_in_use(std::int64_t vpc_id);
    bool subnet_in_use(std::int64_t subnet_id);

    static store::Listing listing(const std::pair<std::string, store::Params>& visible);
    static store::Listing subnet_listing(std::int64_t vpc_id);
    // The addresses and ranges of the account's vpc interfaces (of one VPC, when given) on the
    // Linodes `visible` (a condition on l.id) shows.
    static store::Listing ip_listing(const std::pair<std::string, store::Params>& visible,
                                     std::optional<std::int64_t> vpc_id);

  private:
    store::Transaction& tx_;
};

std::string render(const Vpc& v);
std::string render(const Subnet& s);

}  // namespace linnet::vpcs
