// Addresses: /linode/instances/{linodeId}/ips and /networking/ips.
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/json.hpp"
#include "linodes/address_repository.hpp"
#include "linodes/addresses.hpp"
#include "linodes/ipv6_range_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

std::string render(const linodes::Address& address) {
    return to_json(linodes::address_doc(address));
}

// The /linode/instances/{id}/ips document: addresses grouped by kind.
std::string grouped(http::Context& ctx, const linodes::Instance& linode) {
    json::array pub, priv, shared;
    for (const auto& a : linodes::AddressRepository(ctx.tx()).shared_with(linode.id))
        shared.push_back(linodes::address_doc(a));
    json::value slaac = nullptr, link_local = nullptr;
    json::array global;
    for (const auto& r : linodes::Ipv6RangeRepository(ctx.tx()).of_linode(linode.id))
        global.push_back(linodes::range_doc(r));
    for (const auto& a : linodes::AddressRepository(ctx.tx()).of_linode(linode.id)) {
        auto doc = linodes::address_doc(a);
        if (a.family == "ipv4")
            (a.is_public ? pub : priv).push_back(doc);
        else if (a.kind == "slaac")
            slaac = doc;
        else
            link_local = doc;
    }
    return to_json(json::object{{"ipv4", json::object{{"public", pub},
                                                      {"private", priv},
                                                      {"shared", std::move(shared)},
                                                      {"reserved", json::array{}},
                                                      {"vpc", json::array{}}}},
                                {"ipv6", json::object{{"slaac", slaac},
                                                      {"link_local", link_local},
                                                      {"global", std::move(global)},
                                                      {"vpc", json::array{}}}}});
}

linodes::Address address_of(http::Context& ctx, std::optional<std::int64_t> linode_id) {
    auto address = linodes::AddressRepository(ctx.tx()).find(ctx.param("address"));
    if (!address || (linode_id && address->linode_id != linode_id)) throw errors::not_found();
    // Under /networking/ips the address's Linode is checked here, as linode_of does elsewhere.
    if (!linode_id && address->linode_id)
        auth::require_linode(ctx.tx(), ctx.caller(), *address->linode_id,
                             ctx.request.method == "GET" ? auth::Permission::read_only
                                                         : auth::Permission::read_write);
    return *address;
}

http::Response set_rdns(http::Context& ctx, std::optional<std::int64_t> linode_id) {
    const auto address = address_of(ctx, linode_id);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto rdns = reader.nullable_string("rdns");
    if (!rdns)
        reader.fail("rdns", "rdns is required (null resets it)");
    else if (*rdns && ((*rdns)->size() < 3 || (*rdns)->size() > 254 ||
                       (*rdns)->find(' ') != std::string::npos))
        reader.fail("rdns", "rdns must be a domain name");
    reader.finish();
    std::optional<std::string> value;
    if (*rdns)
        value = **rdns;
    else if (address.family == "ipv4" && address.is_public)
        value = linodes::reverse_name(address.address);
    linodes::AddressRepository(ctx.tx()).set_rdns(address.address, value);
    return http::Response::json(render(address_of(ctx, linode_id)));
}

http::Response allocate(http::Context& ctx, const Environment& env, linodes::Instance linode,
                        const json::object& body) {
    BodyReader reader(body);
    auto type = reader.string("type", {true});
    auto is_public = reader.boolean("public", true);
    if (type && *type != "ipv4") reader.fail("type", "Only ipv4 addresses can be allocated");
    reader.finish();
    linodes::AddressRepository addresses(ctx.tx());
    if (*is_public && addresses.count_ipv4(linode.id, true) >= 8)
        throw errors::bad_request("A Linode may have at most 8 public IPv4 addresses.");
    if (!*is_public && addresses.count_ipv4(linode.id, false) > 0)
        throw errors::bad_request("This Linode already has a private IPv4 address.");
    const std::string address =
        linodes::allocate_ipv4(ctx.tx(), *is_public ? env.ipv4_pool : linodes::private_pool(),
                               linode.id, linode.region, *is_public);
    linodes::refresh(ctx.tx(), linode.id);
    notify(ctx, linode, "linode_addip");
    return http::Response::json(render(addresses.find(address).value()));
}

}  // namespace

void register_linode_ips(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const std::string base = "/linode/instances/{linodeId}/ips";
    router.add(
        "GET", base, "get-linode-ips", Requirement::of("linodes:read_only"),
        [](http::Context& ctx) { return http::Response::json(grouped(ctx, linode_of(ctx))); });
    router.add("POST", base, "post-add-linode-ip", Requirement::of("linodes:read_write"),
               [&env](http::Context& ctx) {
                   return allocate(ctx, env, linode_of(ctx), parse_body(ctx.request.body));
               });
    router.add("GET", base + "/{address}", "get-linode-ip", Requirement::of("linodes:read_only"),
               [](http::Context& ctx) {
                   return http::Response::json(render(address_of(ctx, linode_of(ctx).id)));
               });
    router.add("PUT", base + "/{address}", "put-linode-ip", Requirement::of("linodes:read_write"),
               [](http::Context& ctx) { return set_rdns(ctx, linode_of(ctx).id); });
    router.add(
        "DELETE", base + "/{address}", "delete-linode-ip", Requirement::of("linodes:read_write"),
        [](http::Context& ctx) {
            auto linode = linode_of(ctx);
            const auto address = address_of(ctx, linode.id);
            linodes::AddressRepository addresses(ctx.tx());
            if (address.family != "ipv4")
                throw errors::bad_request("IPv6 SLAAC and link-local addresses cannot be removed.");
            if (address.is_public && addresses.count_ipv4(linode.id, true) <= 1)
                throw errors::bad_request("A Linode must keep one public IPv4 address.");
            addresses.remove(address.address);
            linodes::refresh(ctx.tx(), linode.id);
            notify(ctx, linode, "linode_deleteip");
            return http::Response::json("{}");
        });
    router.add("GET", "/networking/ips", "get-ips", Requirement::of("ips:read_only"),
               [](http::Context& ctx) {
                   return list(ctx, linodes::AddressRepository(ctx.tx()).listing(
                                        auth::visible_linodes(ctx.caller(), "linode_id")));
               });
    router.add("POST", "/networking/ips", "post-allocate-ip", Requirement::of("ips:read_write"),
               [&env](http::Context& ctx) {
                   const auto body = parse_body(ctx.request.body);
                   BodyReader reader(body);
                   auto linode_id = reader.integer("linode_id", true);
                   reader.finish();
                   auto linode = linodes::find(ctx.tx(), *linode_id);
                   if (!linode) throw errors::bad_request("linode_id is not valid", "linode_id");
                   auth::require_linode(ctx.tx(), ctx.caller(), linode->id,
                                        auth::Permission::read_write);
                   return allocate(ctx, env, *linode, body);
               });
    router.add("GET", "/networking/ips/{address}", "get-ip", Requirement::of("ips:read_only"),
               [](http::Context& ctx) {
                   return http::Response::json(render(address_of(ctx, std::nullopt)));
               });
    router.add("PUT", "/networking/ips/{address}", "put-ip", Requirement::of("ips:read_write"),
               [](http::Context& ctx) { return set_rdns(ctx, std::nullopt); });
}

}  // namespace linnet::api
