// /account/events: newest first, filterable on id, action, created, read, entity.id and
// entity.type; "seen" marks every event up to one, "read" marks one.
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/error.hpp"
#include "jobs/event_repository.hpp"

namespace linnet::api {

namespace {

jobs::EventVisibility visibility(http::Context& ctx) {
    auto [condition, params] = auth::visible_events(ctx.caller());
    return {std::move(condition), std::move(params)};
}

std::int64_t event_of(http::Context& ctx) {
    const std::int64_t id = id_param(ctx, "eventId");
    if (!jobs::EventRepository(ctx.tx()).is_visible(id, visibility(ctx))) throw errors::not_found();
    return id;
}

}  // namespace

void register_events(http::Router& router) {
    using auth::Requirement;
    const auto scope = Requirement::of("events:read_only");
    router.add("GET", "/account/events", "get-events", scope, [](http::Context& ctx) {
        return list(ctx, jobs::EventRepository(ctx.tx()).visible_to(visibility(ctx)));
    });
    router.add("GET", "/account/events/{eventId}", "get-event", scope, [](http::Context& ctx) {
        return one(ctx, jobs::EventRepository(ctx.tx()).visible_to(visibility(ctx)), "id",
                   id_param(ctx, "eventId"));
    });
    router.add("POST", "/account/events/{eventId}/seen", "post-event-seen", scope,
               [](http::Context& ctx) {
                   const std::int64_t id = event_of(ctx);
                   jobs::EventRepository(ctx.tx()).mark_seen_up_to(id);
                   return http::Response::json("{}");
               });
    router.add("POST", "/account/events/{eventId}/read", "post-event-read", scope,
               [](http::Context& ctx) {
                   const std::int64_t id = event_of(ctx);
                   jobs::EventRepository(ctx.tx()).mark_read(id);
                   return http::Response::json("{}");
               });
}

}  // namespace linnet::api
