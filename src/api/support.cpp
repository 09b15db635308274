// /support/tickets: tickets about the account's entities, their replies and attached files, and
// closing them. The operator answers with `linnetd support reply`.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/user_repository.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "domains/domain_repository.hpp"
#include "firewalls/firewall_repository.hpp"
#include "http/form.hpp"
#include "linodes/linode_repository.hpp"
#include "nodebalancers/nodebalancer_repository.hpp"
#include "support/tickets.hpp"
#include "volumes/volume_repository.hpp"
#include "vpcs/vpc_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

support::Author author_of(http::Context& ctx) {
    const auto user = auth::UserRepository(ctx.tx()).find(ctx.caller().user_id);
    return {ctx.caller().user_id, ctx.caller().username, user ? user->email : ""};
}

support::Ticket ticket_of(http::Context& ctx) {
    auto t = support::TicketRepository(ctx.tx()).find(id_param(ctx, "ticketId"));
    if (!t) throw errors::not_found();
    return *t;
}

// The label of the account's entity of `type` with this id, or nothing.
std::optional<std::string> label_of(store::Transaction& tx, const std::string& type,
                                    std::int64_t id) {
    if (type == "linode")
        if (auto x = linodes::LinodeRepository(tx).find(id)) return x->label;
    if (type == "volume")
        if (auto x = volumes::VolumeRepository(tx).find(id)) return x->label;
    if (type == "domain")
        if (auto x = domains::DomainRepository(tx).find(id)) return x->domain;
    if (type == "nodebalancer")
        if (auto x = nodebalancers::NodeBalancerRepository(tx).find(id)) return x->label;
    if (type == "firewall")
        if (auto x = firewalls::FirewallRepository(tx).find(id)) return x->label;
    if (type == "vpc")
        if (auto x = vpcs::VpcRepository(tx).find(id)) return x->label;
    return std::nullopt;
}

// The entity a new ticket is about: at most one of the *_id fields.
std::optional<support::Entity> entity_of(store::Transaction& tx, const json::object& body,
                                         BodyReader& reader) {
    static const std::vector<std::pair<std::string, std::string>> kinds{
        {"linode_id", "linode"},     {"volume_id", "volume"},
        {"domain_id", "domain"},     {"nodebalancer_id", "nodebalancer"},
        {"firewall_id", "firewall"}, {"vpc_id", "vpc"}};
    static const std::vector<std::string> unserved{"database_id", "lkecluster_id",
                                                   "longviewclient_id"};
    std::optional<support::Entity> entity;
    for (const auto& field : unserved)
        if (const auto* v = body.if_contains(field); v && !v->is_null())
            reader.fail(field, "This Linnet has no such entities");
    for (const auto& [field, type] : kinds) {
        const auto id = reader.integer(field);
        if (!id) continue;
        if (entity) {
            reader.fail(field, "A ticket is about one entity at most");
            continue;
        }
        const auto label = label_of(tx, type, *id);
        if (!label) {
            reader.fail(field, "Not one of the account's");
            continue;
        }
        const std::string path = type == "linode"     ? "/v4/linode/instances/"
                                 : type == "vpc"      ? "/v4/vpcs/"
                                 : type == "firewall" ? "/v4/networking/firewalls/"
                                                      : "/v4/" + type + "s/";
        entity = support::Entity{type, *id, *label, path + std::to_string(*id)};
    }
    return entity;
}

http::Response open(http::Context& ctx) {
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto summary = reader.string("summary", {true, 1, 64});
    const auto description = reader.string("description", {true, 1, 65000});
    reader.boolean("managed_issue");
    for (const char* ignored : {"region", "vlan"}) reader.string(ignored);
    auto entity = entity_of(ctx.tx(), body, reader);
    reader.finish();
    const auto t = support::open(ctx.tx(), author_of(ctx), *summary, *description, entity);
    return http::Response::json(support::render(t));
}

http::Response reply(http::Context& ctx) {
    auto t = ticket_of(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto description = reader.string("description", {true, 1, 65000});
    reader.finish();
    const auto r = support::reply(ctx.tx(), author_of(ctx), t, *description);
    return http::Response::json(support::render(r));
}

http::Response attach(http::Context& ctx, const Environment& env) {
    auto t = ticket_of(ctx);
    const auto type = ctx.request.header("content-type");
    auto form = http::parse_form(type.value_or(""), ctx.request.body);
    const auto content = form ? form->get("file") : std::nullopt;
    const auto name = form ? form->filename("file") : std::nullopt;
    if (!content || !name)
        throw errors::bad_request("Send the file as multipart/form-data, in a part named file",
                                  "file");
    support::attach(ctx.tx(), author_of(ctx), t, *name, *content, env.shared);
    return http::Response::json("{}");
}

}  // namespace

void register_support(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const auto ro = Requirement::of("account:read_only");
    const auto rw = Requirement::of("account:read_write");
    const std::string one = "/support/tickets/{ticketId}";
    router.add("GET", "/support/tickets", "get-tickets", ro,
               [](http::Context& ctx) { return list(ctx, support::TicketRepository::listing()); });
    router.add("POST", "/support/tickets", "post-ticket", rw, open);
    router.add("GET", one, "get-ticket", ro, [](http::Context& ctx) {
        return http::Response::json(support::render(ticket_of(ctx)));
    });
    router.add("GET", one + "/replies", "get-ticket-replies", ro, [](http::Context& ctx) {
        const auto t = ticket_of(ctx);
        return list(ctx, support::TicketRepository::reply_listing(t.id));
    });
    router.add("POST", one + "/replies", "post-ticket-reply", rw, reply);
    router.add("POST", one + "/attachments", "post-ticket-attachment", rw,
               [env](http::Context& ctx) { return attach(ctx, env); });
    router.add("POST", one + "/close", "post-close-ticket", rw, [](http::Context& ctx) {
        auto t = ticket_of(ctx);
        support::close(ctx.tx(), author_of(ctx), t);
        return http::Response::json("{}");
    });
}

}  // namespace linnet::api
