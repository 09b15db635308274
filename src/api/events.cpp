// /account/events: newest first, filterable on id, action, created, read, entity.id and
// entity.type; "seen" marks every event up to one, "read" marks one.
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace {

using filter::FieldType;

const filter::Schema kEvents{{
                                 {"id", "id", FieldType::integer},
                                 {"action", "action", FieldType::text},
                                 {"created", "created", FieldType::time},
                                 {"read", "read", FieldType::boolean},
                                 {"entity.id", "entity_id", FieldType::integer, true},
                                 {"entity.type", "entity_type", FieldType::text, true},
                             },
                             "id DESC"};

std::int64_t event_of(http::Context& ctx) {
    const std::int64_t id = id_param(ctx, "eventId");
    auto [visible, params] = auth::visible_events(ctx.caller());
    params.insert(params.begin(), id);
    if (ctx.tx().query("SELECT 1 FROM events WHERE id = ? AND (" + visible + ")", params).empty())
        throw errors::not_found();
    return id;
}

// Marks and rebuilds the documents of the events it touched.
void mark(http::Context& ctx, const char* column, const char* condition, std::int64_t id) {
    const std::string where = std::string(condition) + " AND " + column + " = 0";
    auto rows = ctx.tx().query("SELECT id, doc FROM events WHERE " + where, {id});
    for (const auto& row : rows) {
        auto doc = boost::json::parse(row.text(1)).as_object();
        doc[column] = true;
        ctx.tx().execute(std::string("UPDATE events SET ") + column + " = 1, doc = ? WHERE id = ?",
                         {to_json(doc), row.integer(0)});
    }
}

}  // namespace

void register_events(http::Router& router) {
    using auth::Requirement;
    const auto scope = Requirement::of("events:read_only");
    router.add("GET", "/account/events", "get-events", scope, [](http::Context& ctx) {
        auto [visible, params] = auth::visible_events(ctx.caller());
        return list(ctx, {"events", kEvents, visible, params});
    });
    router.add("GET", "/account/events/{eventId}", "get-event", scope, [](http::Context& ctx) {
        auto [visible, params] = auth::visible_events(ctx.caller());
        return http::Response::json(
            find_doc(ctx.tx(), "events", "id", id_param(ctx, "eventId"), visible, params));
    });
    router.add("POST", "/account/events/{eventId}/seen", "post-event-seen", scope,
               [](http::Context& ctx) {
                   mark(ctx, "seen", "id <= ?", event_of(ctx));
                   return http::Response::json("{}");
               });
    router.add("POST", "/account/events/{eventId}/read", "post-event-read", scope,
               [](http::Context& ctx) {
                   mark(ctx, "read", "id = ?", event_of(ctx));
                   return http::Response::json("{}");
               });
}

}  // namespace linnet::api
