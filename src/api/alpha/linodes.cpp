// /linodes in the 2016 form: list, create (left for boot), get, update, delete. Each handler
// translates the 2016 names to the modern ones and calls the domain services /linode/instances
// uses; errors about modern fields are reported under their 2016 names.
#include <boost/json.hpp>

#include "api/alpha/catalog_2016.hpp"
#include "api/alpha/envelope.hpp"
#include "api/alpha/linode_access.hpp"
#include "api/alpha/linode_object.hpp"
#include "api/alpha/routes.hpp"
#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "auth/grants.hpp"
#include "core/json.hpp"
#include "jobs/jobs.hpp"
#include "linodes/display_label.hpp"
#include "linodes/lifecycle.hpp"
#include "linodes/provisioning.hpp"

namespace linnet::api::alpha {

namespace {

namespace json = boost::json;

// The modern field a creation error names, under its 2016 name.
std::optional<std::string> alpha_field(const std::optional<std::string>& modern) {
    if (!modern) return modern;
    if (*modern == "region") return "datacenter";
    if (*modern == "type") return "service";
    if (*modern == "image") return "source";
    return modern;
}

ApiError in_2016_terms(const ApiError& e) {
    std::vector<ErrorDetail> details;
    for (const auto& d : e.details()) details.push_back({d.reason, alpha_field(d.field)});
    ApiError out(e.status(), std::move(details));
    out.headers = e.headers;
    return out;
}

// Reads the 2016 create body into the modern creation request.
linodes::NewLinode read_create(http::Context& ctx, std::optional<std::string>& display) {
    const auto& me = ctx.caller();
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    linodes::NewLinode r;
    r.user_id = me.user_id;
    r.username = me.username;
    r.booted = false;           // 2016: the Linode is made, then booted with POST .../boot
    r.backups_enabled = false;  // 2016 had no account-wide default for backups
    if (auto id = reader.string("datacenter", {true})) {
        if (const auto* d = find_datacenter(*id))
            r.region = std::string(d->region);
        else
            reader.fail("datacenter", "datacenter is not valid");
    }
    if (auto id = reader.string("service", {true})) {
        const auto* s = find_service(*id);
        if (s && !s->type.empty())
            r.type = std::string(s->type);
        else
            reader.fail("service", "service is not a valid Linode service");
    }
    const auto source = reader.string("source");
    if (const auto& id = source) {
        if (const auto* d = find_distribution(*id))
            r.image = std::string(d->image);
        else
            reader.fail("source", "source is not a valid distribution");
    }
    r.root_pass = reader.string("root_pass");
    if (r.image && !r.root_pass) reader.fail("root_pass", "root_pass is required");
    if (!source && r.root_pass) reader.fail("source", "root_pass needs a source to apply to");
    if (auto key = reader.string("root_ssh_key", {false, 1, 4096})) r.authorized_keys = {*key};
    if (auto label = reader.string("label")) {
        if (auto problem = linodes::display_label_problem(*label))
            reader.fail("label", *problem);
        else
            display = *label;
    }
    r.group = reader.string("group", {false, 0, 50}).value_or("");
    for (const char* absent : {"stackscript", "backup"})
        if (const auto* v = body.if_contains(absent); v && !v->is_null())
            reader.fail(absent, std::string(absent) + " is not supported by this Linnet server");
    reader.finish();
    if (display) r.label = linodes::modern_label(ctx.tx(), *display);
    return r;
}

http::Response create(http::Context& ctx, const Environment& env) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_linodes");
    std::optional<std::string> display;
    auto request = read_create(ctx, display);
    request.keep_credentials = env.disks_hold_credentials;
    linodes::Created created;
    try {
        created = linodes::create_linode(ctx.tx(), request, env.ipv4_pool);
    } catch (const ApiError& e) {
        throw in_2016_terms(e);
    }
    auth::grant_creator(ctx.tx(), ctx.caller(), "linode", created.id);
    auto linode = linodes::get(ctx.tx(), created.id);
    if (display && *display != linode.label) {
        linodes::set_display_label(ctx.tx(), linode, *display);
        linodes::save(ctx.tx(), linode);
    }
    ctx.after_commit.push_back(env.wake_workers);
    return object_response(json::object{{"linode", linode_object(ctx.tx(), linode)}});
}

http::Response update(http::Context& ctx) {
    auto linode = linode_named(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (auto label = reader.string("label")) {
        if (auto problem = linodes::display_label_problem(*label))
            reader.fail("label", *problem);
        else
            linodes::set_display_label(ctx.tx(), linode, *label);
    }
    if (auto group = reader.string("group", {false, 0, 50})) linode.group = *group;
    reader.finish();
    linodes::save(ctx.tx(), linode);
    api::notify(ctx, linode, "linode_update");
    return object_response(linode_object(ctx.tx(), linode));
}

http::Response remove(http::Context& ctx, const Environment& env) {
    auto linode = linode_named(ctx);
    linodes::check_can_start(ctx.tx(), linode.id, linode.status, "linode_delete");
    jobs::cancel_jobs(ctx.tx(), linode.id, "The Linode was deleted.");
    start_action(ctx, env, linode, "linode_delete", json::object{{"final_status", "deleting"}});
    return object_response(json::object{});
}

}  // namespace

void register_linodes(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const auto ro = Requirement::of("linodes:read_only");
    const auto rw = Requirement::of("linodes:read_write");
    router.add("GET", "/linodes", "alpha-get-linodes", ro, [](http::Context& ctx) {
        const auto listing =
            linodes::LinodeRepository(ctx.tx()).alpha_listing(auth::visible_linodes(ctx.caller()));
        return rewrap(list(ctx, listing), "linodes", [&ctx](const json::object& doc) {
            const auto linode = linodes::get(ctx.tx(), doc.at("id").to_number<std::int64_t>());
            return json::value(linode_object(ctx.tx(), linode));
        });
    });
    router.add("POST", "/linodes", "alpha-post-linode", rw,
               [&env](http::Context& ctx) { return create(ctx, env); });
    router.add("GET", "/linodes/{linodeId}", "alpha-get-linode", ro, [](http::Context& ctx) {
        const auto linode = linode_named(ctx);
        return object_response(linode_object(ctx.tx(), linode));
    });
    router.add("PUT", "/linodes/{linodeId}", "alpha-put-linode", rw, update);
    router.add("DELETE", "/linodes/{linodeId}", "alpha-delete-linode", rw,
               [&env](http::Context& ctx) { return remove(ctx, env); });
}

}  // namespace linnet::api::alpha
