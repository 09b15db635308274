// Linode lookup and action start.
#include "api/linode_access.hpp"

#include "api/list.hpp"
#include "auth/grants.hpp"
#include "auth/ssh_key_repository.hpp"
#include "auth/user_repository.hpp"
#include "core/error.hpp"
#include "jobs/jobs.hpp"
#include "linodes/lifecycle.hpp"
#include "metadata/user_data.hpp"

namespace linnet::api {

linodes::Instance linode_of(http::Context& ctx) {
    auto linode = linodes::get(ctx.tx(), id_param(ctx, "linodeId"));
    // Reading a Linode or its parts needs read_only; anything else acts on it.
    const auto need = ctx.request.method == "GET" || ctx.request.method == "HEAD"
                          ? auth::Permission::read_only
                          : auth::Permission::read_write;
    auth::require_linode(ctx.tx(), ctx.caller(), linode.id, need);
    return linode;
}

store::Listing visible_linode_list(http::Context& ctx) {
    return linodes::LinodeRepository(ctx.tx()).listing(auth::visible_linodes(ctx.caller()));
}

http::Response linode_document(http::Context& ctx, std::int64_t id) {
    auto doc = linodes::LinodeRepository(ctx.tx()).document(id);
    if (!doc) throw errors::not_found();
    return http::Response::json(*doc);
}

std::int64_t start_action(http::Context& ctx, const Environment& env, linodes::Instance& linode,
                          std::string_view action, boost::json::object payload,
                          std::optional<jobs::Entity> secondary) {
    auto& tx = ctx.tx();
    const auto& me = ctx.caller();
    linodes::check_can_start(tx, linode.id, linode.status, action);
    const auto& rule = linodes::action(action);
    payload["was_running"] = linode.status == "running";
    if (!payload.contains("fallback_status")) payload["fallback_status"] = linode.status;
    if (!payload.contains("final_status")) payload["final_status"] = linode.status;
    if (!rule.shows.empty()) {
        linode.status = std::string(rule.shows);
        linodes::save(tx, linode);
    }
    const std::int64_t event_id =
        jobs::record_event(tx, {std::string(action), jobs::linode_entity(linode.id, linode.label),
                                std::move(secondary), "scheduled", me.user_id, me.username, ""});
    jobs::enqueue(tx, std::string(action), linode.id, event_id, payload);
    ctx.after_commit.push_back(env.wake_workers);
    return event_id;
}

void notify(http::Context& ctx, const linodes::Instance& linode, const std::string& action,
            std::optional<jobs::Entity> secondary) {
    const auto& me = ctx.caller();
    jobs::record_event(ctx.tx(),
                       {action, jobs::linode_entity(linode.id, linode.label), std::move(secondary),
                        "notification", me.user_id, me.username, ""});
}

std::pair<std::string, store::Params> images_visible(http::Context& ctx) {
    if (ctx.principal == nullptr) return {"1=0", {}};
    return auth::visible_entities(ctx.caller(), "image", "number");
}

std::optional<std::string> read_user_data(const boost::json::object& body, BodyReader& reader) {
    const auto* md = body.if_contains("metadata");
    if (md == nullptr || md->is_null()) return std::nullopt;
    if (!md->is_object()) {
        reader.fail("metadata", "metadata must be an object");
        return std::nullopt;
    }
    const auto* ud = md->as_object().if_contains("user_data");
    if (ud == nullptr || ud->is_null()) return std::nullopt;
    if (!ud->is_string()) {
        reader.fail("metadata.user_data", "user_data must be a base64-encoded string");
        return std::nullopt;
    }
    const std::string text(ud->as_string());
    if (auto problem = metadata::user_data_problem(text)) {
        reader.fail("metadata.user_data", *problem);
        return std::nullopt;
    }
    return text;
}

void read_authorized_users(http::Context& ctx, BodyReader& reader, std::vector<std::string>& keys) {
    auto users = reader.string_list("authorized_users");
    if (!users) return;
    for (const auto& user : *users) {
        auto id = auth::UserRepository(ctx.tx()).id_of(user);
        if (!id)
            reader.fail("authorized_users", "Username " + user + " is not a user of this account");
        else
            for (auto& key : auth::SshKeyRepository(ctx.tx()).keys_of(*id))
                keys.push_back(std::move(key));
    }
}

}  // namespace linnet::api
