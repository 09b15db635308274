// /account and /account/settings: the caller's account, shared by its users.
#include <boost/json.hpp>

#include <filesystem>

#include "account/account_repository.hpp"
#include "account/cancellation.hpp"
#include "auth/token.hpp"
#include "auth/user_repository.hpp"

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "billing/invoice_repository.hpp"
#include "billing/invoicing.hpp"
#include "billing/payment_repository.hpp"
#include "core/clock.hpp"
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
        // Money is billing's fact: what the invoices came to, less what was paid and the credit
        // promotions gave them (below zero: a credit); and what the use since the last invoice
        // comes to so far.
        billing::PaymentRepository payments(tx);
        billing::InvoiceRepository invoices(tx);
        const std::int64_t owed =
            invoices.invoiced_cents() - invoices.promo_cents() - payments.paid_cents();
        out["balance"] = static_cast<double>(owed) / 100.0;
        out["balance_uninvoiced"] = static_cast<double>(billing::uninvoiced_cents(
                                        tx, tx.scope().account_id(), clock::unix_seconds())) /
                                    100.0;
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

// The account goes: see account/cancellation.hpp. Its unrestricted users may cancel it, and
// those granted cancel_account.
http::Response cancel(http::Context& ctx, const Environment& env) {
    const auto& me = ctx.caller();
    auth::require_global(ctx.tx(), me, "cancel_account");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    reader.string("comments", {false, 0, 2048});
    reader.finish();
    auto files = account::cancel(ctx.tx(), {me.user_id, me.username}, env.shared);
    ctx.after_commit.push_back([files = std::move(files)] {
        std::error_code ignored;
        for (const auto& folder : files) std::filesystem::remove_all(folder, ignored);
    });
    ctx.after_commit.push_back(env.wake_workers);
    return http::Response::json(to_json(json::object{{"survey_link", ""}}));
}

// A parent account's users with child_account_access (or unrestricted) reach its children; a
// child account has none.
void require_parent_access(http::Context& ctx) {
    if (AccountRepository(ctx.tx()).parent_of())
        throw errors::forbidden("A child account has no child accounts");
    auth::require_global(ctx.tx(), ctx.caller(), "child_account_access");
}

// Each child account as GET /account shows it to its own users.
store::Listing child_accounts() {
    store::Listing l = AccountRepository::children_listing();
    l.complete = [](store::Transaction& tx, const store::Rows& rows,
                    std::vector<std::string>& docs) {
        const auto saved = tx.scope();
        for (std::size_t i = 0; i < rows.size(); ++i) {
            tx.set_scope(store::Scope::account(rows[i].integer("id")));
            docs[i] = to_json(load(tx, Part::doc));
        }
        tx.set_scope(saved);
    };
    return l;
}

account::Child child_of(http::Context& ctx) {
    require_parent_access(ctx);
    auto child = AccountRepository(ctx.tx()).child(ctx.param("euuid"));
    if (!child) throw errors::not_found();
    return *child;
}

http::Response child_account(http::Context& ctx) {
    const auto child = child_of(ctx);
    auto& tx = ctx.tx();
    const auto saved = tx.scope();
    tx.set_scope(store::Scope::account(child.id));
    auto doc = load(tx, Part::doc);
    tx.set_scope(saved);
    return http::Response::json(to_json(doc));
}

// A token of the child's proxy user for 15 minutes, with every scope: the parent's user acts in
// the child account as its proxy user.
http::Response child_token(http::Context& ctx) {
    const auto child = child_of(ctx);
    const auto& me = ctx.caller();
    auto& tx = ctx.tx();
    const auto saved = tx.scope();
    tx.set_scope(store::Scope::account(child.id));
    const auto proxy = auth::UserRepository(tx).proxy();
    if (!proxy) throw errors::not_found("The child account has no proxy user");
    const std::int64_t now = clock::unix_seconds();
    auto token = auth::create_token(
        tx, {*proxy, me.username + "_" + std::to_string(me.user_id) + "_" + std::to_string(now),
             auth::ScopeSet::everything(), now + 15 * 60});
    tx.set_scope(saved);
    return http::Response::json(token.doc);
}

}  // namespace

void register_account(http::Router& router, const Environment& env) {
    using auth::Requirement;
    router.add("GET", "/account", "get-account", Requirement::of("account:read_only"),
               [](http::Context& ctx) {
                   require_access(ctx, auth::Permission::read_only);
                   return http::Response::json(to_json(load(ctx.tx(), Part::doc)));
               });
    router.add("PUT", "/account", "put-account", Requirement::of("account:read_write"),
               update_account);
    router.add("GET", "/account/child-accounts", "get-child-accounts",
               Requirement::of("child_account:read_only"), [](http::Context& ctx) {
                   require_parent_access(ctx);
                   return list(ctx, child_accounts());
               });
    router.add("GET", "/account/child-accounts/{euuid}", "get-child-account",
               Requirement::of("child_account:read_only"), child_account);
    router.add("POST", "/account/child-accounts/{euuid}/token", "post-child-account-token",
               Requirement::of("child_account:read_write"), child_token);
    router.add("POST", "/account/cancel", "post-cancel-account",
               Requirement::of("account:read_write"),
               [&env](http::Context& ctx) { return cancel(ctx, env); });
    router.add("GET", "/account/settings", "get-account-settings",
               Requirement::of("account:read_only"), [](http::Context& ctx) {
                   require_access(ctx, auth::Permission::read_only);
                   return http::Response::json(to_json(load(ctx.tx(), Part::settings)));
               });
    router.add("PUT", "/account/settings", "put-account-settings",
               Requirement::of("account:read_write"), update_settings);
}

}  // namespace linnet::api
