// /account and /account/settings: the caller's account, shared by its users.
#include <boost/json.hpp>

#include "account/account_repository.hpp"

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "billing/payment_repository.hpp"
#include "core/json.hpp"
#include "longview/longview_repository.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using account::AccountRepository;

const char* kContactFields[] = {"company",   "email",     "first_name", "last_name",
                                "address_1", "address_2", "city",       "state",
                                "zip",       "country",   "phone",      "tax_id"};

enum class Part { doc, settings };

json::object load(store::Transaction& tx, Part part) {
    auto found = AccountRepository(tx).find();
    if (!found) throw errors::not_found();
    auto out = json::parse(part == Part::doc ? found->doc : found->settings).as_object();
    if (part == Part::doc) {
        // Money is the payments' fact: nothing is invoiced yet, so the balance is what was paid,
        // as a credit.
        billing::PaymentRepository payments(tx);
        out["balance"] = -static_cast<double>(payments.paid_cents()) / 100.0;
        const auto card = payments.default_method();
        out["credit_card"] =
            json::object{{"expiry", card ? json::value(card->expiry) : json::value(nullptr)},
                         {"last_four", card ? json::value(card->last_four) : json::value(nullptr)}};
        out["active_promotions"] = active_promotions(tx);
    }
    // The Longview plan is Longview's fact.
    if (part == Part::settings) {
        const auto plan = longview::LongviewRepository(tx).plan();
        out["longview_subscription"] = plan ? json::value(*plan) : json::value(nullptr);
    }
    return out;
}

// Restricted users reach the account only through their account_access grant.
void require_access(http::Context& ctx, auth::Permission need) {
    auth::require_account(ctx.tx(), ctx.caller(), need);
}

http::Response update_account(http::Context& ctx) {
    require_access(ctx, auth::Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    json::object account = load(ctx.tx(), Part::doc);
    for (const char* field : kContactFields) {
        auto value = reader.string(field, {false, 0, 128});
        if (!value) continue;
        if (std::string_view(field) == "email" && !value->empty() && !valid_email(*value)) {
            reader.fail(field, "email must be a valid email address");
            continue;
        }
        if (std::string_view(field) == "country" && value->size() != 2 && !value->empty()) {
            reader.fail(field, "country must be a two-letter country code");
            continue;
        }
        account[field] = *value;
    }
    reader.finish();
    AccountRepository(ctx.tx()).save_doc(to_json(account));
    return http::Response::json(to_json(account));
}

http::Response update_settings(http::Context& ctx) {
    require_access(ctx, auth::Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    json::object settings = load(ctx.tx(), Part::settings);
    for (const char* field : {"network_helper", "backups_enabled"})
        if (auto v = reader.boolean(field)) settings[field] = *v;
    if (auto v = reader.string("interfaces_for_new_linodes")) {
        static const char* allowed[] = {"legacy_config_only",
                                        "legacy_config_default_but_linode_allowed",
                                        "linode_default_but_legacy_config_allowed", "linode_only"};
        bool ok = false;
        for (const char* a : allowed) ok = ok || *v == a;
        if (ok)
            settings["interfaces_for_new_linodes"] = *v;
        else
            reader.fail("interfaces_for_new_linodes", "interfaces_for_new_linodes is not valid");
    }
    if (auto v = reader.string("maintenance_policy")) {
        if (*v == "linode/migrate" || *v == "linode/power_off_on")
            settings["maintenance_policy"] = *v;
        else
            reader.fail("maintenance_policy",
                        "maintenance_policy must be linode/migrate or linode/power_off_on");
    }
    // Read-only: what GET shows may come back unchanged (SDKs save whole objects); a change is
    // refused.
    for (const char* readonly : {"managed", "longview_subscription", "object_storage"})
        if (const auto* sent = body.if_contains(readonly);
            sent && (!settings.contains(readonly) || *sent != settings.at(readonly)))
            reader.fail(readonly, std::string(readonly) + " is read-only");
    reader.finish();
    AccountRepository(ctx.tx()).save_settings(to_json(settings));
    return http::Response::json(to_json(settings));
}

}  // namespace

void register_account(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/account", "get-account", Requirement::of("account:read_only"),
               [](http::Context& ctx) {
                   require_access(ctx, auth::Permission::read_only);
                   return http::Response::json(to_json(load(ctx.tx(), Part::doc)));
               });
    router.add("PUT", "/account", "put-account", Requirement::of("account:read_write"),
               update_account);
    router.add("GET", "/account/settings", "get-account-settings",
               Requirement::of("account:read_only"), [](http::Context& ctx) {
                   require_access(ctx, auth::Permission::read_only);
                   return http::Response::json(to_json(load(ctx.tx(), Part::settings)));
               });
    router.add("PUT", "/account/settings", "put-account-settings",
               Requirement::of("account:read_write"), update_settings);
}

}  // namespace linnet::api
