// The VPCs aggregate's tables: vpcs (one row each) and vpc_subnets (the ranges of a VPC). Every
// statement on them lives in vpc_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/listing.hpp"

namespace linnet::vpcs {

struct Subnet {
    std::int64_t id = 0;
    std::int64_t vpc_id = 0;
    std::string label;
    std::string ipv4;  // canonical CIDR
    std::string created;
    std::string updated;
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

    static store::Listing listing(const std::pair<std::string, store::Params>& visible);
    static store::Listing subnet_listing(std::int64_t vpc_id);

  private:
    store::Transaction& tx_;
};

std::string render(const Vpc& v);
std::string render(const Subnet& s);

}  // namespace linnet::vpcs
