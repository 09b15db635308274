// A VPC's changes, their checks and their events.
#include "vpcs/vpcs.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "catalog/catalog_repository.hpp"
#include "jobs/events.hpp"
#include "jobs/jobs.hpp"

namespace linnet::vpcs {

namespace {

jobs::Entity entity(const Vpc& v) {
    return {v.id, "vpc", v.label, "/v4/vpcs/" + std::to_string(v.id)};
}

void notify(store::Transaction& tx, const Actor& actor, const std::string& action, const Vpc& v,
            std::optional<jobs::Entity> secondary = std::nullopt) {
    jobs::record_event(tx, {action, entity(v), std::move(secondary), "notification", actor.user_id,
                            actor.username, ""});
}

jobs::Entity subnet_entity(const Vpc& v, const Subnet& s) {
    return {s.id, "subnet", s.label,
            "/v4/vpcs/" + std::to_string(v.id) + "/subnets/" + std::to_string(s.id)};
}

struct Network {
    std::uint32_t base = 0;
    int prefix = 0;
};

std::optional<Network> parse(const std::string& cidr) {
    const auto slash = cidr.find('/');
    if (slash == std::string::npos) return std::nullopt;
    in_addr a{};
    if (inet_pton(AF_INET, cidr.substr(0, slash).c_str(), &a) != 1) return std::nullopt;
    const std::string p = cidr.substr(slash + 1);
    if (p.empty() || p.size() > 2 || !std::isdigit(static_cast<unsigned char>(p[0])) ||
        (p.size() == 2 && !std::isdigit(static_cast<unsigned char>(p[1]))))
        return std::nullopt;
    const int prefix = std::stoi(p);
    if (prefix > 32) return std::nullopt;
    return Network{ntohl(a.s_addr), prefix};
}

std::uint32_t mask(int prefix) {
    return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
}

bool within(const Network& n, std::uint32_t base, int prefix) {
    return n.prefix >= prefix && (n.base & mask(prefix)) == base;
}

}  // namespace

std::optional<std::string> label_problem(const std::string& label) {
    const std::string bad =
        "Label must be 1-64 letters, numbers and hyphens, with no two hyphens together";
    if (label.empty() || label.size() > 64) return bad;
    for (std::size_t i = 0; i < label.size(); ++i) {
        const char c = label[i];
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return bad;
        if (c == '-' && i > 0 && label[i - 1] == '-') return bad;
    }
    return std::nullopt;
}

std::optional<std::string> range_problem(const std::string& cidr, std::string& canonical) {
    const auto n = parse(cidr);
    if (!n) return "ipv4 must be a range in CIDR form, as 10.0.0.0/24";
    if (n->prefix < 1 || n->prefix > 29) return "ipv4's prefix must be from /1 to /29";
    if ((n->base & ~mask(n->prefix)) != 0)
        return "ipv4 must be in canonical form: its host bits zero";
    if (!within(*n, 0x0A000000u, 8) && !within(*n, 0xAC100000u, 12) && !within(*n, 0xC0A80000u, 16))
        return "ipv4 must be a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)";
    in_addr a{htonl(n->base)};
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a, text, sizeof text);
    canonical = std::string(text) + "/" + std::to_string(n->prefix);
    if (overlap(canonical, "192.168.128.0/17"))
        return "ipv4 must not overlap the Linodes' private addresses (192.168.128.0/17)";
    return std::nullopt;
}

bool overlap(const std::string& a, const std::string& b) {
    const auto x = parse(a), y = parse(b);
    if (!x || !y) return false;
    const int shorter = std::min(x->prefix, y->prefix);
    return (x->base & mask(shorter)) == (y->base & mask(shorter));
}

namespace {

std::string dotted(std::uint32_t address) {
    in_addr a{htonl(address)};
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a, text, sizeof text);
    return text;
}

std::optional<std::uint32_t> address_of(const std::string& text) {
    in_addr a{};
    if (inet_pton(AF_INET, text.c_str(), &a) != 1) return std::nullopt;
    return ntohl(a.s_addr);
}

}  // namespace

std::string gateway_of(const std::string& subnet) {
    const auto n = parse(subnet);
    return n ? dotted(n->base + 1) : "";
}

std::string mask_of(const std::string& subnet) {
    const auto n = parse(subnet);
    return n ? dotted(mask(n->prefix)) : "";
}

int prefix_of(const std::string& subnet) {
    const auto n = parse(subnet);
    return n ? n->prefix : 0;
}

std::optional<std::string> host_problem(const std::string& subnet, const std::string& address) {
    const auto n = parse(subnet);
    const auto a = address_of(address);
    if (!n || !a) return "must be an IPv4 address";
    if ((*a & mask(n->prefix)) != n->base) return "must be an address of the subnet " + subnet;
    const std::uint32_t broadcast = n->base | ~mask(n->prefix);
    if (*a == n->base || *a == broadcast)
        return "must not be the subnet's network or broadcast address";
    if (*a == n->base + 1) return "must not be the subnet's gateway (" + dotted(*a) + ")";
    return std::nullopt;
}

bool within_subnet(const std::string& subnet, const std::string& range) {
    const auto n = parse(subnet), r = parse(range);
    return n && r && within(*r, n->base, n->prefix);
}

std::optional<std::string> first_free(const std::string& subnet,
                                      const std::vector<std::string>& taken) {
    const auto n = parse(subnet);
    if (!n) return std::nullopt;
    std::vector<std::uint32_t> used;
    for (const auto& t : taken)
        if (auto a = address_of(t)) used.push_back(*a);
    std::sort(used.begin(), used.end());
    const std::uint32_t broadcast = n->base | ~mask(n->prefix);
    for (std::uint32_t a = n->base + 2; a < broadcast; ++a)
        if (!std::binary_search(used.begin(), used.end(), a)) return dotted(a);
    return std::nullopt;
}

Vpc create(store::Transaction& tx, const Actor& actor, Vpc v) {
    std::vector<ErrorDetail> problems;
    VpcRepository repo(tx);
    if (auto problem = label_problem(v.label))
        problems.push_back({*problem, "label"});
    else if (repo.label_taken(v.label, 0))
        problems.push_back({"Label must be unique among your VPCs", "label"});
    auto capabilities = catalog::CatalogRepository(tx).find_region_capabilities(v.region);
    if (!capabilities)
        problems.push_back({"region is not valid", "region"});
    else if (!capabilities->has("VPCs"))
        problems.push_back({"VPCs are not available in this region", "region"});
    for (std::size_t i = 0; i < v.subnets.size(); ++i) {
        auto& s = v.subnets[i];
        const std::string at = "subnets[" + std::to_string(i) + "]";
        if (auto problem = label_problem(s.label)) problems.push_back({*problem, at + ".label"});
        std::string canonical;
        if (auto problem = range_problem(s.ipv4, canonical)) {
            problems.push_back({*problem, at + ".ipv4"});
            continue;
        }
        s.ipv4 = canonical;
        for (std::size_t j = 0; j < i; ++j) {
            if (v.subnets[j].label == s.label)
                problems.push_back({"A VPC's subnets must have different labels", at + ".label"});
            if (overlap(v.subnets[j].ipv4, s.ipv4))
                problems.push_back({"A VPC's subnets must not overlap", at + ".ipv4"});
        }
    }
    if (!problems.empty()) throw errors::invalid(std::move(problems));
    v.id = repo.insert(v);
    v = repo.find(v.id).value();
    notify(tx, actor, "vpc_create", v);
    for (const auto& s : v.subnets) notify(tx, actor, "subnet_create", v, subnet_entity(v, s));
    return v;
}

void update(store::Transaction& tx, const Actor& actor, Vpc& v, const Vpc& was) {
    VpcRepository repo(tx);
    if (v.label != was.label) {
        if (auto problem = label_problem(v.label)) throw errors::bad_request(*problem, "label");
        if (repo.label_taken(v.label, v.id))
            throw errors::bad_request("Label must be unique among your VPCs", "label");
    }
    repo.save(v);
    notify(tx, actor, "vpc_update", v);
}

void remove(store::Transaction& tx, const Actor& actor, const Vpc& v) {
    if (VpcRepository(tx).vpc_in_use(v.id))
        throw errors::bad_request(
            "The VPC has Linodes in its subnets: remove their vpc interfaces first.");
    notify(tx, actor, "vpc_delete", v);
    VpcRepository(tx).remove(v.id);
}

Subnet create_subnet(store::Transaction& tx, const Actor& actor, const Vpc& v, Subnet s) {
    std::vector<ErrorDetail> problems;
    if (auto problem = label_problem(s.label)) problems.push_back({*problem, "label"});
    std::string canonical;
    if (auto problem = range_problem(s.ipv4, canonical))
        problems.push_back({*problem, "ipv4"});
    else
        s.ipv4 = canonical;
    for (const auto& other : v.subnets) {
        if (other.label == s.label)
            problems.push_back({"A VPC's subnets must have different labels", "label"});
        if (!canonical.empty() && overlap(other.ipv4, s.ipv4))
            problems.push_back({"The range overlaps subnet " + other.label, "ipv4"});
    }
    if (!problems.empty()) throw errors::invalid(std::move(problems));
    s.vpc_id = v.id;
    VpcRepository repo(tx);
    s.id = repo.insert_subnet(s);
    for (const auto& made : repo.subnets_of(v.id))
        if (made.id == s.id) s = made;
    notify(tx, actor, "subnet_create", v, subnet_entity(v, s));
    return s;
}

void update_subnet(store::Transaction& tx, const Actor& actor, const Vpc& v, Subnet& s) {
    if (auto problem = label_problem(s.label)) throw errors::bad_request(*problem, "label");
    for (const auto& other : v.subnets)
        if (other.id != s.id && other.label == s.label)
            throw errors::bad_request("A VPC's subnets must have different labels", "label");
    VpcRepository(tx).save_subnet(s);
    notify(tx, actor, "subnet_update", v, subnet_entity(v, s));
}

void remove_subnet(store::Transaction& tx, const Actor& actor, const Vpc& v, const Subnet& s) {
    if (VpcRepository(tx).subnet_in_use(s.id))
        throw errors::bad_request(
            "The subnet has Linodes: remove their vpc interfaces in it first.");
    VpcRepository(tx).remove_subnet(s.id);
    notify(tx, actor, "subnet_delete", v, subnet_entity(v, s));
}

}  // namespace linnet::vpcs
