// /domains: Domains (master and slave zones; clone, import by zone transfer), their records,
// and the zone file the DNS server answers.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "domains/domains.hpp"
#include "domains/zone_file.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;
using domains::DomainRepository;

domains::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

domains::Domain domain_of(http::Context& ctx, Permission need) {
    const std::int64_t id = id_param(ctx, "domainId");
    auto d = DomainRepository(ctx.tx()).find(id);
    auth::require_entity(ctx.tx(), ctx.caller(), "domain", id, need, d.has_value());
    if (!d) throw errors::not_found();
    return *d;
}

domains::Record record_of(http::Context& ctx, const domains::Domain& d) {
    auto r = DomainRepository(ctx.tx()).find_record(d.id, id_param(ctx, "recordId"));
    if (!r) throw errors::not_found();
    return *r;
}

void throw_if(std::vector<ErrorDetail>& problems) {
    if (!problems.empty()) throw errors::invalid(std::move(problems));
}

http::Response create(http::Context& ctx) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_domains");
    const json::object body = parse_body(ctx.request.body);
    domains::Domain d;
    std::vector<ErrorDetail> problems;
    domains::read_domain(body, true, d, problems);
    throw_if(problems);
    d = domains::create(ctx.tx(), actor_of(ctx), d);
    auth::grant_creator(ctx.tx(), ctx.caller(), "domain", d.id);
    return http::Response::json(domains::render(d));
}

http::Response update(http::Context& ctx) {
    auto d = domain_of(ctx, Permission::read_write);
    const auto was = d;
    const json::object body = parse_body(ctx.request.body);
    std::vector<ErrorDetail> problems;
    domains::read_domain(body, false, d, problems);
    throw_if(problems);
    domains::update(ctx.tx(), actor_of(ctx), d, was);
    return http::Response::json(domains::render(d));
}

// The name a clone or an import asks for.
std::string name_of(const json::object& body) {
    BodyReader reader(body);
    auto name = reader.string("domain", {true, 1, 253});
    reader.finish();
    return *name;
}

http::Response clone(http::Context& ctx) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_domains");
    const auto d = domain_of(ctx, Permission::read_only);
    const auto copy =
        domains::clone(ctx.tx(), actor_of(ctx), d, name_of(parse_body(ctx.request.body)));
    auth::grant_creator(ctx.tx(), ctx.caller(), "domain", copy.id);
    return http::Response::json(domains::render(copy));
}

http::Response import(http::Context& ctx) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_domains");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto name = reader.string("domain", {true, 1, 253});
    auto nameserver = reader.string("remote_nameserver", {true, 1, 255});
    reader.finish();
    const auto d = domains::import(ctx.tx(), actor_of(ctx), *name, *nameserver);
    auth::grant_creator(ctx.tx(), ctx.caller(), "domain", d.id);
    return http::Response::json(domains::render(d));
}

http::Response create_record(http::Context& ctx) {
    auto d = domain_of(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    domains::Record r;
    std::vector<ErrorDetail> problems;
    domains::read_record(body, d.domain, ctx.request.remote_address, true, r, problems);
    throw_if(problems);
    r = domains::create_record(ctx.tx(), actor_of(ctx), d, r);
    return http::Response::json(to_json(domains::document(r)));
}

http::Response update_record(http::Context& ctx) {
    auto d = domain_of(ctx, Permission::read_write);
    auto r = record_of(ctx, d);
    const json::object body = parse_body(ctx.request.body);
    std::vector<ErrorDetail> problems;
    domains::read_record(body, d.domain, ctx.request.remote_address, false, r, problems);
    throw_if(problems);
    r = domains::update_record(ctx.tx(), actor_of(ctx), d, r);
    return http::Response::json(to_json(domains::document(r)));
}

http::Response zone_file(http::Context& ctx) {
    const auto d = domain_of(ctx, Permission::read_only);
    json::array lines;
    // A slave zone's file is its master's; a disabled one is not answered.
    if (d.type == "master")
        for (auto& line : domains::zone_lines(d, DomainRepository(ctx.tx()).records_of(d.id)))
            lines.push_back(json::string(line));
    return http::Response::json(to_json(json::object{{"zone_file", std::move(lines)}}));
}

}  // namespace

void register_domains(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const auto waking = [&env](http::Response (*handler)(http::Context&)) {
        return [&env, handler](http::Context& ctx) {
            auto response = handler(ctx);
            ctx.after_commit.push_back(env.wake_workers);
            return response;
        };
    };
    const auto ro = Requirement::of("domains:read_only");
    const auto rw = Requirement::of("domains:read_write");
    const std::string one = "/domains/{domainId}";
    const std::string record = one + "/records/{recordId}";
    router.add("GET", "/domains", "get-domains", ro, [](http::Context& ctx) {
        return list(ctx, DomainRepository::listing(auth::visible_entities(ctx.caller(), "domain")));
    });
    router.add("POST", "/domains", "post-domain", rw, waking(create));
    router.add("POST", "/domains/import", "post-import-domain", rw, waking(import));
    router.add("GET", one, "get-domain", ro, [](http::Context& ctx) {
        return http::Response::json(domains::render(domain_of(ctx, Permission::read_only)));
    });
    router.add("PUT", one, "put-domain", rw, waking(update));
    router.add("DELETE", one, "delete-domain", rw, waking([](http::Context& ctx) {
                   const auto d = domain_of(ctx, Permission::read_write);
                   domains::remove(ctx.tx(), actor_of(ctx), d);
                   return http::Response::json("{}");
               }));
    router.add("POST", one + "/clone", "post-clone-domain", rw, waking(clone));
    router.add("GET", one + "/zone-file", "get-domain-zone", ro, zone_file);
    router.add("GET", one + "/records", "get-domain-records", ro, [](http::Context& ctx) {
        const auto d = domain_of(ctx, Permission::read_only);
        return list(ctx, DomainRepository::record_listing(d.id));
    });
    router.add("POST", one + "/records", "post-domain-record", rw, waking(create_record));
    router.add("GET", record, "get-domain-record", ro, [](http::Context& ctx) {
        const auto d = domain_of(ctx, Permission::read_only);
        return http::Response::json(to_json(domains::document(record_of(ctx, d))));
    });
    router.add("PUT", record, "put-domain-record", rw, waking(update_record));
    router.add("DELETE", record, "delete-domain-record", rw, waking([](http::Context& ctx) {
                   auto d = domain_of(ctx, Permission::read_write);
                   const auto r = record_of(ctx, d);
                   domains::remove_record(ctx.tx(), actor_of(ctx), d, r);
                   return http::Response::json("{}");
               }));
}

}  // namespace linnet::api
