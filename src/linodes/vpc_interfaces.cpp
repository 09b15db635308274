// Settling vpc interfaces against their subnets.
#include "linodes/vpc_interfaces.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "hosts/host_repository.hpp"
#include "linodes/address_repository.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/linode_repository.hpp"
#include "vpcs/vpcs.hpp"

namespace linnet::linodes {

namespace json = boost::json;

std::string field_in_list(std::size_t i, std::string_view field) {
    return "interfaces[" + std::to_string(i) + "]." + std::string(field);
}

std::string field_alone(std::size_t, std::string_view field) {
    return std::string(field);
}

namespace {

std::optional<std::string> text_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_string() || v->as_string().empty()) return std::nullopt;
    return std::string(v->as_string());
}

// The address the interface with this id had in the subnet, as stored.
std::optional<std::string> address_before(const json::array& before, const json::object& itf,
                                          std::int64_t subnet_id) {
    for (const auto& b : before) {
        const auto* o = b.if_object();
        if (!o || o->at("id") != itf.at("id") || !o->contains("subnet_id") ||
            o->at("subnet_id") != subnet_id)
            continue;
        if (const auto* v4 = o->if_contains("ipv4"); v4 && v4->is_object())
            return text_of(v4->as_object(), "vpc");
    }
    return std::nullopt;
}

// The public IPv4 a 1:1 NAT asked as `asked` ("any": the Linode's first) maps to; a problem
// goes to `problem`.
std::optional<std::string> nat_address(store::Transaction& tx, std::int64_t linode_id,
                                       const std::string& asked, std::string& problem) {
    AddressRepository addresses(tx);
    if (asked == "any") {
        auto first = addresses.first_public_ipv4(linode_id);
        if (!first) problem = "The Linode has no public IPv4 address for a 1:1 NAT";
        return first;
    }
    for (const auto& a : addresses.of_linode(linode_id))
        if (a.address == asked && a.family == "ipv4" && a.is_public) {
            if (addresses.is_shared(asked)) {
                problem = "A shared address cannot be a 1:1 NAT address";
                return std::nullopt;
            }
            return asked;
        }
    problem = "nat_1_1 must be \"any\" or a public IPv4 address of this Linode";
    return std::nullopt;
}

// The hosts the private network of one interface spans (but the Linode `except`).
std::vector<std::int64_t> hosts_of(store::Transaction& tx, std::int64_t account_id,
                                   const std::string& region, const json::object& itf,
                                   std::int64_t except) {
    hosts::HostRepository hosts(tx);
    const auto& purpose = itf.at("purpose");
    if (purpose == "vlan" && itf.at("label").is_string())
        return hosts.hosts_of_vlan(account_id, region, std::string(itf.at("label").as_string()),
                                   except);
    if (purpose == "vpc" && itf.at("subnet_id").is_int64())
        // (A subnet of another region is refused where the interface is settled.)
        if (auto found = vpcs::VpcRepository(tx).find_subnet(itf.at("subnet_id").as_int64());
            found && found->region == region)
            return hosts.hosts_of_vpc(found->subnet.vpc_id, except);
    return {};
}

// The first of `hosts` that runs real VMs.
std::optional<std::int64_t> first_qemu(store::Transaction& tx,
                                       const std::vector<std::int64_t>& hosts) {
    for (const auto id : hosts)
        if (hosts::HostRepository(tx).driver_of(id) == "qemu") return id;
    return std::nullopt;
}

// On the qemu driver a private network is one host's: a Linode on another host than the
// network's other Linodes cannot join it.
void keep_on_one_host(store::Transaction& tx, std::int64_t linode_id, const json::array& interfaces,
                      const InterfaceField& field, std::vector<ErrorDetail>& problems) {
    std::optional<std::int64_t> mine;
    std::optional<std::pair<std::int64_t, std::string>> owner;  // account, region
    for (std::size_t i = 0; i < interfaces.size(); ++i) {
        const auto& itf = interfaces[i].as_object();
        if (itf.at("purpose") == "public") continue;
        if (!owner) {
            mine = hosts::HostRepository(tx).host_of(linode_id);
            auto region = LinodeRepository(tx).region_of(linode_id);
            if (!mine || !region) return;
            owner = {tx.scope().account_id(), *region};
        }
        const auto host = first_qemu(tx, hosts_of(tx, owner->first, owner->second, itf, linode_id));
        if (host && *host != *mine)
            problems.push_back(
                {"The other Linodes of this " + std::string(itf.at("purpose").as_string()) +
                     " run on another host: Linnet keeps a private network on one host (create "
                     "the Linode with this interface to place it there)",
                 field(i, itf.at("purpose") == "vpc" ? "subnet_id" : "label")});
    }
}

}  // namespace

std::optional<std::int64_t> segment_host(store::Transaction& tx, std::int64_t account_id,
                                         const std::string& region, const json::array& interfaces,
                                         std::int64_t except) {
    for (const auto& item : interfaces)
        if (const auto* itf = item.if_object())
            if (auto host = first_qemu(tx, hosts_of(tx, account_id, region, *itf, except)))
                return host;
    return std::nullopt;
}

void settle_vpc_interfaces(store::Transaction& tx, std::int64_t linode_id, std::int64_t config_id,
                           json::array& interfaces, const json::array& before,
                           const InterfaceField& field, VpcAddressing addressing) {
    std::vector<ErrorDetail> problems;
    std::optional<std::string> region;
    for (std::size_t i = 0; i < interfaces.size(); ++i) {
        auto& itf = interfaces[i].as_object();
        if (itf.at("purpose") != "vpc") continue;
        if (!region) region = LinodeRepository(tx).region_of(linode_id).value_or("");
        const std::int64_t subnet_id = itf.at("subnet_id").as_int64();
        auto found = vpcs::VpcRepository(tx).find_subnet(subnet_id);
        if (!found) {
            problems.push_back({"Subnet not found", field(i, "subnet_id")});
            continue;
        }
        if (found->region != *region) {
            problems.push_back({"The subnet's VPC is in " + found->region +
                                    ", not in the Linode's "
                                    "region " +
                                    *region,
                                field(i, "subnet_id")});
            continue;
        }
        const auto& range = found->subnet.ipv4;
        itf["vpc_id"] = found->subnet.vpc_id;
        if (!itf["ipv4"].is_object()) itf["ipv4"] = json::object{};
        auto& v4 = itf["ipv4"].as_object();

        std::optional<std::string> asked;
        if (addressing == VpcAddressing::as_asked) {
            asked = text_of(v4, "vpc");
            if (!asked) asked = address_before(before, itf, subnet_id);
        }
        const auto taken = ConfigRepository(tx).vpc_addresses(subnet_id, config_id);
        if (asked) {
            if (auto problem = vpcs::host_problem(range, *asked))
                problems.push_back({"ipv4.vpc " + *problem, field(i, "ipv4.vpc")});
            else if (std::find(taken.begin(), taken.end(), *asked) != taken.end())
                problems.push_back({"ipv4.vpc " + *asked + " is another interface's in the subnet",
                                    field(i, "ipv4.vpc")});
            else
                v4["vpc"] = *asked;
        } else if (auto free = vpcs::first_free(range, taken)) {
            v4["vpc"] = *free;
        } else {
            problems.push_back({"The subnet has no free address", field(i, "subnet_id")});
        }

        if (auto nat = text_of(v4, "nat_1_1")) {
            std::string problem;
            auto mapped = nat_address(
                tx, linode_id, addressing == VpcAddressing::renumbered ? "any" : *nat, problem);
            if (mapped)
                v4["nat_1_1"] = *mapped;
            else
                problems.push_back({problem, field(i, "ipv4.nat_1_1")});
        } else {
            v4["nat_1_1"] = nullptr;
        }

        if (auto* ranges = itf.if_contains("ip_ranges"); ranges && ranges->is_array())
            for (std::size_t r = 0; r < ranges->as_array().size(); ++r) {
                const auto& cidr = ranges->as_array()[r];
                if (!cidr.is_string() || !vpcs::within_subnet(range, std::string(cidr.as_string())))
                    problems.push_back({"A routed range must lie within the subnet " + range,
                                        field(i, "ip_ranges[" + std::to_string(r) + "]")});
            }
    }
    if (problems.empty()) keep_on_one_host(tx, linode_id, interfaces, field, problems);
    if (!problems.empty()) throw errors::invalid(std::move(problems));
}

}  // namespace linnet::linodes
