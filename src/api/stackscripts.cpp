// /linode/stackscripts: public StackScripts to everyone (without a token, too), private ones to
// their account; writing them; and reading a deployment of one from a Linode create or rebuild.
#include "stackscripts/stackscripts.hpp"

#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "api/stackscript_access.hpp"
#include "auth/grants.hpp"
#include "core/error.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;

stackscripts::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

// The visibility of the caller's own account's scripts: all of them, or the granted ones for a
// restricted user; public scripts are everyone's.
std::pair<std::string, store::Params> own_visible(http::Context& ctx) {
    if (ctx.principal == nullptr) return {"1=0", {}};
    return auth::visible_entities(ctx.caller(), "stackscript");
}

// The script the path names, as the caller may see it: public, or the account's and (for a
// restricted user) granted at `need`. Changing a script takes the account's own.
stackscripts::StackScript script_of(http::Context& ctx, Permission need) {
    const std::int64_t id = id_param(ctx, "stackscriptId");
    auto script = stackscripts::StackScriptRepository(ctx.tx()).find(id);
    if (!script) throw errors::not_found();
    // A public script is everyone's to read, the account's restricted users' too.
    if (script->mine && !(script->is_public && need == Permission::read_only)) {
        auth::require_entity(ctx.tx(), ctx.caller(), "stackscript", id, need, true);
    } else if (need == Permission::read_write) {
        throw errors::forbidden("Unauthorized");
    }
    return *script;
}

http::Response document(const stackscripts::StackScript& script) {
    return http::Response::json(stackscripts::render(script));
}

stackscripts::Changes read_changes(const json::object& body, BodyReader& reader, bool create) {
    stackscripts::Changes c;
    c.label = reader.string("label", {create});
    c.description = reader.string("description", {false, 0, SIZE_MAX, true});
    c.script = reader.string("script", {create, 0, SIZE_MAX, true});
    c.rev_note = reader.string("rev_note", {false, 0, SIZE_MAX, true});
    c.is_public = reader.boolean("is_public");
    c.images = reader.string_list("images", {false, 1, 64});
    if (create && !body.contains("images")) reader.fail("images", "images is required");
    return c;
}

http::Response create(http::Context& ctx) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_stackscripts");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto changes = read_changes(body, reader, true);
    reader.finish();
    auto script = stackscripts::create(ctx.tx(), actor_of(ctx), changes);
    auth::grant_creator(ctx.tx(), ctx.caller(), "stackscript", script.id);
    return document(script);
}

http::Response update(http::Context& ctx) {
    auto script = script_of(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto changes = read_changes(body, reader, false);
    reader.finish();
    stackscripts::update(ctx.tx(), actor_of(ctx), script, changes);
    return document(script);
}

http::Response remove(http::Context& ctx) {
    const auto script = script_of(ctx, Permission::read_write);
    stackscripts::remove(ctx.tx(), actor_of(ctx), script);
    return http::Response::json("{}");
}

}  // namespace

std::optional<stackscripts::Deployment> read_deployment(http::Context& ctx,
                                                        const json::object& body,
                                                        const std::optional<std::string>& image,
                                                        BodyReader& reader) {
    const auto id = reader.integer("stackscript_id");
    const json::value* data = body.if_contains("stackscript_data");
    if (!id) {
        if (data != nullptr && !data->is_null())
            reader.fail("stackscript_data", "stackscript_data needs a stackscript_id");
        return std::nullopt;
    }
    auto script = stackscripts::StackScriptRepository(ctx.tx()).find(*id);
    const bool readable =
        script && (!script->mine || script->is_public || !ctx.caller().restricted ||
                   auth::entity_permission(ctx.tx(), ctx.caller().user_id, "stackscript", *id) >=
                       Permission::read_only);
    if (!readable) {
        reader.fail("stackscript_id", "StackScript not found");
        return std::nullopt;
    }
    std::vector<ErrorDetail> problems;
    auto deployment = stackscripts::plan_deployment(*script, image, data, problems);
    for (auto& p : problems) reader.fail(p.field.value_or("stackscript_data"), p.reason);
    return deployment;
}

void register_stackscripts(http::Router& router) {
    using auth::Requirement;
    const auto ro = Requirement::of("stackscripts:read_only", Requirement::Kind::open_or_scopes);
    const auto rw = Requirement::of("stackscripts:read_write");
    router.add("GET", "/linode/stackscripts", "get-stack-scripts", ro, [](http::Context& ctx) {
        return list(ctx, stackscripts::StackScriptRepository::listing(own_visible(ctx)));
    });
    router.add("POST", "/linode/stackscripts", "post-add-stack-script", rw, create);
    router.add("GET", "/linode/stackscripts/{stackscriptId}", "get-stack-script", ro,
               [](http::Context& ctx) {
                   if (ctx.principal == nullptr) {
                       auto script = stackscripts::StackScriptRepository(ctx.tx()).find(
                           id_param(ctx, "stackscriptId"));
                       if (!script) throw errors::not_found();
                       return document(*script);
                   }
                   return document(script_of(ctx, Permission::read_only));
               });
    router.add("PUT", "/linode/stackscripts/{stackscriptId}", "put-stack-script", rw, update);
    router.add("DELETE", "/linode/stackscripts/{stackscriptId}", "delete-stack-script", rw, remove);
}

}  // namespace linnet::api
