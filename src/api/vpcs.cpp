// /vpcs: VPCs and their subnets.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "vpcs/vpcs.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;
using vpcs::VpcRepository;

vpcs::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

vpcs::Vpc vpc_of(http::Context& ctx, Permission need) {
    const std::int64_t id = id_param(ctx, "vpcId");
    auto v = VpcRepository(ctx.tx()).find(id);
    auth::require_entity(ctx.tx(), ctx.caller(), "vpc", id, need, v.has_value());
    if (!v) throw errors::not_found();
    return *v;
}

vpcs::Subnet subnet_of(http::Context& ctx, const vpcs::Vpc& v) {
    const std::int64_t id = id_param(ctx, "vpcSubnetId");
    for (const auto& s : v.subnets)
        if (s.id == id) return s;
    throw errors::not_found();
}

http::Response create(http::Context& ctx) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_vpcs");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    vpcs::Vpc v;
    v.label = reader.string("label", {true}).value_or("");
    v.region = reader.string("region", {true}).value_or("");
    v.description = reader.string("description", {false, 0, 255}).value_or("");
    if (const auto* list = body.if_contains("subnets"); list && !list->is_null()) {
        if (!list->is_array()) {
            reader.fail("subnets", "subnets must be a list of subnets");
        } else {
            for (std::size_t i = 0; i < list->as_array().size(); ++i) {
                const auto* s = list->as_array()[i].if_object();
                const std::string at = "subnets[" + std::to_string(i) + "]";
                const auto* label = s ? s->if_contains("label") : nullptr;
                const auto* ipv4 = s ? s->if_contains("ipv4") : nullptr;
                if (!label || !label->is_string() || !ipv4 || !ipv4->is_string()) {
                    reader.fail(at, at + " must be a subnet with a label and an ipv4 range");
                    continue;
                }
                vpcs::Subnet subnet;
                subnet.label = std::string(label->as_string());
                subnet.ipv4 = std::string(ipv4->as_string());
                v.subnets.push_back(std::move(subnet));
            }
        }
    }
    reader.finish();
    v = vpcs::create(ctx.tx(), actor_of(ctx), v);
    auth::grant_creator(ctx.tx(), ctx.caller(), "vpc", v.id);
    return http::Response::json(vpcs::render(v));
}

http::Response update(http::Context& ctx) {
    auto v = vpc_of(ctx, Permission::read_write);
    const auto was = v;
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (auto label = reader.string("label")) v.label = *label;
    if (auto description = reader.string("description", {false, 0, 255}))
        v.description = *description;
    reader.finish();
    vpcs::update(ctx.tx(), actor_of(ctx), v, was);
    return http::Response::json(vpcs::render(VpcRepository(ctx.tx()).find(v.id).value()));
}

http::Response create_subnet(http::Context& ctx) {
    const auto v = vpc_of(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    vpcs::Subnet s;
    s.label = reader.string("label", {true}).value_or("");
    s.ipv4 = reader.string("ipv4", {true}).value_or("");
    reader.finish();
    s = vpcs::create_subnet(ctx.tx(), actor_of(ctx), v, s);
    return http::Response::json(vpcs::render(s));
}

http::Response update_subnet(http::Context& ctx) {
    const auto v = vpc_of(ctx, Permission::read_write);
    auto s = subnet_of(ctx, v);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (auto label = reader.string("label")) s.label = *label;
    reader.finish();
    vpcs::update_subnet(ctx.tx(), actor_of(ctx), v, s);
    return http::Response::json(vpcs::render(s));
}

}  // namespace

void register_vpcs(http::Router& router) {
    using auth::Requirement;
    const auto rw = Requirement::of("vpc:read_write");
    // The spec asks only a token of the reads.
    const auto token = Requirement::token();
    const std::string one = "/vpcs/{vpcId}";
    const std::string subnet = one + "/subnets/{vpcSubnetId}";
    router.add("GET", "/vpcs", "get-vpcs", token, [](http::Context& ctx) {
        return list(ctx, VpcRepository::listing(auth::visible_entities(ctx.caller(), "vpc")));
    });
    router.add("POST", "/vpcs", "post-vpc", rw, create);
    // The addresses of the account's vpc interfaces, on the Linodes the caller may see.
    const auto ips = Requirement::of("ips:read_only");
    router.add("GET", "/vpcs/ips", "get-vpcs-ips", ips, [](http::Context& ctx) {
        return list(ctx, VpcRepository::ip_listing(auth::visible_linodes(ctx.caller(), "l.id"),
                                                   std::nullopt));
    });
    router.add("GET", one + "/ips", "get-vpc-ips", ips, [](http::Context& ctx) {
        const auto v = vpc_of(ctx, Permission::read_only);
        return list(ctx,
                    VpcRepository::ip_listing(auth::visible_linodes(ctx.caller(), "l.id"), v.id));
    });
    router.add("GET", one, "get-vpc", token, [](http::Context& ctx) {
        return http::Response::json(vpcs::render(vpc_of(ctx, Permission::read_only)));
    });
    router.add("PUT", one, "put-vpc", rw, update);
    router.add("DELETE", one, "delete-vpc", rw, [](http::Context& ctx) {
        const auto v = vpc_of(ctx, Permission::read_write);
        vpcs::remove(ctx.tx(), actor_of(ctx), v);
        return http::Response::json("{}");
    });
    router.add("GET", one + "/subnets", "get-vpc-subnets", token, [](http::Context& ctx) {
        const auto v = vpc_of(ctx, Permission::read_only);
        return list(ctx, VpcRepository::subnet_listing(v.id));
    });
    router.add("POST", one + "/subnets", "post-vpc-subnet", rw, create_subnet);
    router.add("GET", subnet, "get-vpc-subnet", token, [](http::Context& ctx) {
        const auto v = vpc_of(ctx, Permission::read_only);
        return http::Response::json(vpcs::render(subnet_of(ctx, v)));
    });
    router.add("PUT", subnet, "put-vpc-subnet", rw, update_subnet);
    router.add("DELETE", subnet, "delete-vpc-subnet", rw, [](http::Context& ctx) {
        const auto v = vpc_of(ctx, Permission::read_write);
        const auto s = subnet_of(ctx, v);
        vpcs::remove_subnet(ctx.tx(), actor_of(ctx), v, s);
        return http::Response::json("{}");
    });
}

}  // namespace linnet::api
