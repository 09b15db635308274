// /networking/ips/assign and /networking/ips/share (and their older /networking/ipv4 forms):
// moving IPv4 addresses between the account's Linodes of one region, and letting a Linode bring
// up addresses of others (IP failover). On the qemu driver a Linode's forwarded address follows
// its addresses at its next boot.
#include <boost/json.hpp>
#include <map>
#include <set>

#include "api/linode_access.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "linodes/address_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

// The account's Linode the body names, with read_write on it; nothing after a field error.
std::optional<linodes::Instance> writable_linode(http::Context& ctx, const json::value* id,
                                                 const std::string& field, BodyReader& reader) {
    if (id == nullptr || !id->is_int64()) {
        reader.fail(field, field + " must be a Linode's id");
        return std::nullopt;
    }
    auto linode = linodes::find(ctx.tx(), id->as_int64());
    if (!linode) {
        reader.fail(field, "Linode not found");
        return std::nullopt;
    }
    auth::require_linode(ctx.tx(), ctx.caller(), linode->id, auth::Permission::read_write);
    return linode;
}

// An IPv4 address of one of the account's Linodes, with read_write on that Linode.
std::optional<linodes::Address> writable_address(http::Context& ctx, const json::value* value,
                                                 const std::string& field, BodyReader& reader) {
    if (value == nullptr || !value->is_string()) {
        reader.fail(field, field + " must be an address");
        return std::nullopt;
    }
    auto address = linodes::AddressRepository(ctx.tx()).find(std::string(value->as_string()));
    if (!address || !address->linode_id) {
        reader.fail(field, "Address not found");
        return std::nullopt;
    }
    if (address->family != "ipv4") {
        reader.fail(field, "Only IPv4 addresses are assigned and shared on this Linnet");
        return std::nullopt;
    }
    auth::require_linode(ctx.tx(), ctx.caller(), *address->linode_id, auth::Permission::read_write);
    return address;
}

http::Response assign(http::Context& ctx) {
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto region = reader.string("region", {true});
    const auto* list = body.if_contains("assignments");
    if (list == nullptr || !list->is_array() || list->as_array().empty())
        reader.fail("assignments", "assignments must be a list of {address, linode_id}");
    reader.finish();
    linodes::AddressRepository addresses(ctx.tx());
    std::map<std::string, std::int64_t> moves;
    std::set<std::int64_t> involved;
    const auto& items = list->as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string at = "assignments[" + std::to_string(i) + "]";
        const auto* item = items[i].if_object();
        if (item == nullptr) {
            reader.fail(at, "An assignment is an object with address and linode_id");
            continue;
        }
        auto address = writable_address(ctx, item->if_contains("address"), at + ".address", reader);
        auto linode =
            writable_linode(ctx, item->if_contains("linode_id"), at + ".linode_id", reader);
        if (!address || !linode) continue;
        if (address->region != *region)
            reader.fail(at + ".address", "The address is not in region " + *region);
        if (linode->region != *region)
            reader.fail(at + ".linode_id", "The Linode is not in region " + *region);
        if (addresses.is_shared(address->address))
            reader.fail(at + ".address", "A shared address cannot be assigned to another Linode");
        if (moves.count(address->address))
            reader.fail(at + ".address", "The address is assigned twice");
        moves[address->address] = linode->id;
        involved.insert(*address->linode_id);
        involved.insert(linode->id);
    }
    reader.finish();
    for (const auto& [address, linode_id] : moves) addresses.assign(address, linode_id);
    // What every Linode involved holds afterwards.
    for (auto id : involved) {
        if (addresses.count_ipv4(id, true) < 1)
            throw errors::bad_request(
                "Linode " + std::to_string(id) + " would have no public IPv4 address left",
                "assignments");
        if (addresses.count_ipv4(id, false) > 1)
            throw errors::bad_request(
                "Linode " + std::to_string(id) + " would have more than one private IPv4 address",
                "assignments");
    }
    // Their documents show their addresses.
    for (auto id : involved) linodes::refresh(ctx.tx(), id);
    return http::Response::json("{}");
}

http::Response share(http::Context& ctx) {
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto linode = writable_linode(ctx, body.if_contains("linode_id"), "linode_id", reader);
    const auto* ips = body.if_contains("ips");
    if (ips == nullptr || !ips->is_array()) reader.fail("ips", "ips must be a list of addresses");
    reader.finish();
    std::vector<std::string> shared;
    const auto& items = ips->as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string at = "ips[" + std::to_string(i) + "]";
        auto address = writable_address(ctx, &items[i], at, reader);
        if (!address) continue;
        if (*address->linode_id == linode->id)
            reader.fail(at, "The address is the Linode's own");
        else if (address->region != linode->region)
            reader.fail(at, "The address is not in the Linode's region");
        else
            shared.push_back(address->address);
    }
    reader.finish();
    linodes::AddressRepository(ctx.tx()).set_shared(linode->id, shared);
    linodes::refresh(ctx.tx(), linode->id);
    return http::Response::json("{}");
}

}  // namespace

void register_ip_assignment(http::Router& router) {
    const auto rw = auth::Requirement::of("ips:read_write,linodes:read_write");
    router.add("POST", "/networking/ips/assign", "post-assign-ips", rw, assign);
    router.add("POST", "/networking/ips/share", "post-share-ips", rw, share);
    router.add("POST", "/networking/ipv4/assign", "post-assign-ipv4s", rw, assign);
    router.add("POST", "/networking/ipv4/share", "post-share-ipv4s", rw, share);
}

}  // namespace linnet::api
