// /account/oauth-clients: the apps registered on the account. A secret is shown only on create
// and reset-secret and stored as a SHA-256 hash; deleting a client revokes its tokens.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/oauth_client.hpp"
#include "auth/token.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "jobs/events.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using filter::FieldType;

const filter::Schema kClients{{
                                  {"label", "label", FieldType::text},
                                  {"public", "public", FieldType::boolean},
                              },
                              "seq"};

const char* kColumns = "id, label, public, redirect_uri, status";

json::object render(const store::Row& row) {
    return json::object{{"id", row.text(0)},        {"label", row.text(1)},
                        {"public", row.boolean(2)}, {"redirect_uri", row.text(3)},
                        {"secret", "<REDACTED>"},   {"status", row.text(4)},
                        {"thumbnail_url", nullptr}};
}

// Unrestricted users manage every client of the account; a restricted user only their own.
struct Visibility {
    std::string where;
    store::Params params;
};
Visibility visible_to(const http::Context& ctx) {
    const auto& me = ctx.caller();
    if (me.restricted) return {"user_id = ?", {me.user_id}};
    return {"1=1", {}};
}

json::object load(http::Context& ctx, const std::string& id) {
    const auto visibility = visible_to(ctx);
    store::Params params{id};
    params.insert(params.end(), visibility.params.begin(), visibility.params.end());
    auto rows =
        ctx.tx().query(std::string("SELECT ") + kColumns +
                           " FROM oauth_clients WHERE id = ? AND (" + visibility.where + ")",
                       params);
    if (rows.empty()) throw errors::not_found();
    return render(rows.front());
}

json::object load(http::Context& ctx) {
    return load(ctx, ctx.param("clientId"));
}

void record(http::Context& ctx, const char* action, const json::object& client) {
    const auto& me = ctx.caller();
    const std::string id(client.at("id").as_string());
    jobs::record_event(ctx.tx(), {action,
                                  jobs::Entity{json::value(id), "oauth_client",
                                               std::string(client.at("label").as_string()),
                                               "/v4/account/oauth-clients/" + id},
                                  std::nullopt, "notification", me.user_id, me.username, ""});
}

std::optional<std::string> read_redirect_uri(BodyReader& reader, bool required) {
    auto uri = reader.string("redirect_uri", {required, 1, 2048});
    if (uri && !auth::valid_redirect_uri(*uri)) {
        reader.fail("redirect_uri", "redirect_uri must be an http or https URL without fragment");
        return std::nullopt;
    }
    return uri;
}

http::Response create(http::Context& ctx) {
    const auto& me = ctx.caller();
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {true, 1, 512});
    auto redirect_uri = read_redirect_uri(reader, true);
    const bool is_public = reader.boolean("public").value_or(false);
    reader.finish();

    const std::string id = auth::random_hex(10);
    std::optional<std::string> secret;
    store::SqlValue secret_hash = std::monostate{};
    if (!is_public) {
        secret = auth::random_hex(32);
        secret_hash = auth::sha256_hex(*secret);
    }
    ctx.tx().execute(
        "INSERT INTO oauth_clients (id, user_id, label, public, redirect_uri, secret_hash, "
        "status, created) VALUES (?, ?, ?, ?, ?, ?, 'active', ?)",
        {id, me.user_id, *label, std::int64_t{is_public ? 1 : 0}, *redirect_uri, secret_hash,
         now_utc()});
    json::object client = load(ctx, id);
    record(ctx, "oauth_client_create", client);
    if (secret) client["secret"] = *secret;
    return http::Response::json(to_json(client));
}

http::Response update(http::Context& ctx) {
    json::object client = load(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {false, 1, 512});
    auto redirect_uri = read_redirect_uri(reader, false);
    auto is_public = reader.boolean("public");
    if (is_public && *is_public != client.at("public").as_bool())
        reader.fail("public", "public cannot be changed; register a new client instead");
    for (const char* readonly : {"id", "secret", "status", "thumbnail_url"})
        if (body.contains(readonly)) reader.fail(readonly, std::string(readonly) + " is read-only");
    reader.finish();
    const std::string id(client.at("id").as_string());
    if (label) {
        ctx.tx().execute("UPDATE oauth_clients SET label = ? WHERE id = ?", {*label, id});
        client["label"] = *label;
    }
    if (redirect_uri) {
        ctx.tx().execute("UPDATE oauth_clients SET redirect_uri = ? WHERE id = ?",
                         {*redirect_uri, id});
        client["redirect_uri"] = *redirect_uri;
    }
    record(ctx, "oauth_client_update", client);
    return http::Response::json(to_json(client));
}

http::Response remove(http::Context& ctx) {
    const json::object client = load(ctx);
    const std::string id(client.at("id").as_string());
    ctx.tx().execute(
        "DELETE FROM tokens WHERE app_id IN (SELECT id FROM authorized_apps WHERE client_id = ?)",
        {id});
    ctx.tx().execute("DELETE FROM oauth_codes WHERE client_id = ?", {id});
    ctx.tx().execute(
        "DELETE FROM oauth_refresh_tokens WHERE app_id IN "
        "(SELECT id FROM authorized_apps WHERE client_id = ?)",
        {id});
    ctx.tx().execute("DELETE FROM authorized_apps WHERE client_id = ?", {id});
    ctx.tx().execute("DELETE FROM oauth_clients WHERE id = ?", {id});
    record(ctx, "oauth_client_delete", client);
    return http::Response::json("{}");
}

http::Response reset_secret(http::Context& ctx) {
    json::object client = load(ctx);
    if (client.at("public").as_bool()) throw errors::bad_request("Public clients have no secret");
    const std::string secret = auth::random_hex(32);
    ctx.tx().execute("UPDATE oauth_clients SET secret_hash = ? WHERE id = ?",
                     {auth::sha256_hex(secret), std::string(client.at("id").as_string())});
    record(ctx, "oauth_client_secret_reset", client);
    client["secret"] = secret;
    return http::Response::json(to_json(client));
}

}  // namespace

void register_oauth_clients(http::Router& router) {
    using auth::Requirement;
    router.add(
        "GET", "/account/oauth-clients", "get-clients", Requirement::of("account:read_only"),
        [](http::Context& ctx) {
            auto visibility = visible_to(ctx);
            return list(
                ctx,
                rendered({"oauth_clients", kClients, visibility.where, visibility.params}, kColumns,
                         [](const store::Row& row) { return to_json(render(row)); }));
        });
    router.add("POST", "/account/oauth-clients", "post-client",
               Requirement::of("account:read_write"), create);
    router.add("GET", "/account/oauth-clients/{clientId}", "get-client",
               Requirement::of("account:read_only"),
               [](http::Context& ctx) { return http::Response::json(to_json(load(ctx))); });
    router.add("PUT", "/account/oauth-clients/{clientId}", "put-client",
               Requirement::of("account:read_write"), update);
    router.add("DELETE", "/account/oauth-clients/{clientId}", "delete-client",
               Requirement::of("account:read_write"), remove);
    router.add("POST", "/account/oauth-clients/{clientId}/reset-secret", "post-reset-client-secret",
               Requirement::of("account:read_write"), reset_secret);
}

}  // namespace linnet::api
