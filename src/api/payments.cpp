// /account/payment-methods, /account/credit-card, /account/payments (and PayPal's checkout) and
// /account/promo-codes: payments recorded, never charged.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "billing/payments.hpp"
#include "core/error.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;

void require(http::Context& ctx, Permission need) {
    auth::require_account(ctx.tx(), ctx.caller(), need);
}

// A card's fields from `card` (problems named under `prefix`).
billing::Card read_card(const json::object& card, BodyReader& reader, const std::string& prefix) {
    billing::Card c;
    auto text = [&](const char* key) -> std::string {
        const auto* v = card.if_contains(key);
        if (v && v->is_string()) return std::string(v->as_string());
        if (v && v->is_int64()) return std::to_string(v->as_int64());
        reader.fail(prefix + key, std::string(key) + " is required, as a string of digits");
        return "";
    };
    auto number = [&](const char* key) -> std::int64_t {
        const auto* v = card.if_contains(key);
        if (v && v->is_int64()) return v->as_int64();
        reader.fail(prefix + key, std::string(key) + " is required, as an integer");
        return 0;
    };
    c.number = text("card_number");
    c.cvv = text("cvv");
    c.expiry_month = number("expiry_month");
    c.expiry_year = number("expiry_year");
    return c;
}

http::Response add_method(http::Context& ctx) {
    require(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (auto type = reader.string("type", {true}); type && *type != "credit_card")
        reader.fail("type", "type must be credit_card");
    const bool is_default = reader.boolean("is_default").value_or(false);
    billing::Card card;
    if (const auto* data = body.if_contains("data"); data && data->is_object())
        card = read_card(data->as_object(), reader, "data.");
    else
        reader.fail("data", "data is required: the card's number, cvv and expiry");
    reader.finish();
    const auto m = billing::add_card(ctx.tx(), card, is_default, "data.");
    return http::Response::json(billing::render(m));
}

http::Response add_credit_card(http::Context& ctx) {
    require(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto card = read_card(body, reader, "");
    reader.finish();
    billing::add_card(ctx.tx(), card, true);
    return http::Response::json("{}");
}

billing::PaymentMethod method_of(http::Context& ctx) {
    auto m = billing::PaymentRepository(ctx.tx()).find_method(id_param(ctx, "paymentMethodId"));
    if (!m) throw errors::not_found();
    return *m;
}

http::Response pay(http::Context& ctx) {
    require(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto usd = reader.string("usd", {true});
    const auto method = reader.integer("payment_method_id");
    reader.finish();
    const auto p = billing::pay(ctx.tx(), *usd, method);
    return http::Response::json(billing::render(p));
}

json::object promotion_doc(const billing::Promotion& p) {
    const std::int64_t month = std::min(p.promo.monthly_cap_cents, p.credit_remaining_cents);
    return {{"credit_monthly_cap", billing::dollars(p.promo.monthly_cap_cents)},
            {"credit_remaining", billing::dollars(p.credit_remaining_cents)},
            {"description", p.promo.summary},
            {"expire_dt", p.promo.expires},
            {"image_url", ""},
            {"service_type", "all"},
            {"summary", p.promo.summary},
            {"this_month_credit_remaining", billing::dollars(month)}};
}

}  // namespace

json::array active_promotions(store::Transaction& tx) {
    json::array out;
    for (const auto& p : billing::PaymentRepository(tx).promotions())
        out.push_back(promotion_doc(p));
    return out;
}

void register_payments(http::Router& router) {
    using auth::Requirement;
    const auto ro = Requirement::of("account:read_only");
    const auto rw = Requirement::of("account:read_write");
    const std::string method = "/account/payment-methods/{paymentMethodId}";
    router.add("GET", "/account/payment-methods", "get-payment-methods", ro,
               [](http::Context& ctx) {
                   require(ctx, Permission::read_only);
                   return list(ctx, billing::PaymentRepository::method_listing());
               });
    router.add("POST", "/account/payment-methods", "post-payment-method", rw, add_method);
    router.add("GET", method, "get-payment-method", ro, [](http::Context& ctx) {
        require(ctx, Permission::read_only);
        return http::Response::json(billing::render(method_of(ctx)));
    });
    // The spec asks account:read_only of these two; the account access grant is read_write.
    router.add("DELETE", method, "delete-payment-method", ro, [](http::Context& ctx) {
        require(ctx, Permission::read_write);
        billing::remove_method(ctx.tx(), id_param(ctx, "paymentMethodId"));
        return http::Response::json("{}");
    });
    router.add("POST", method + "/make-default", "post-make-payment-method-default", rw,
               [](http::Context& ctx) {
                   require(ctx, Permission::read_write);
                   const auto m = method_of(ctx);
                   billing::PaymentRepository(ctx.tx()).make_default(m.id);
                   return http::Response::json("{}");
               });
    router.add("POST", "/account/credit-card", "post-credit-card", rw, add_credit_card);
    router.add("GET", "/account/payments", "get-payments", ro, [](http::Context& ctx) {
        require(ctx, Permission::read_only);
        return list(ctx, billing::PaymentRepository::payment_listing());
    });
    router.add("POST", "/account/payments", "post-payment", rw, pay);
    router.add("GET", "/account/payments/{paymentId}", "get-payment", ro, [](http::Context& ctx) {
        require(ctx, Permission::read_only);
        const auto p =
            billing::PaymentRepository(ctx.tx()).find_payment(id_param(ctx, "paymentId"));
        if (!p) throw errors::not_found();
        return http::Response::json(billing::render(*p));
    });
    router.add(
        "POST", "/account/payments/paypal", "post-pay-pal-payment", rw, [](http::Context& ctx) {
            require(ctx, Permission::read_write);
            const json::object body = parse_body(ctx.request.body);
            BodyReader reader(body);
            const auto usd = reader.string("usd", {true});
            reader.string("redirect_url", {true});
            reader.string("cancel_url", {true});
            reader.finish();
            const auto c = billing::paypal_checkout(ctx.tx(), *usd);
            return http::Response::json(to_json(
                json::object{{"checkout_token", c.checkout_token}, {"payment_id", c.payment_id}}));
        });
    router.add("POST", "/account/payments/paypal/execute", "post-execute-pay-pal-payment", rw,
               [](http::Context& ctx) {
                   require(ctx, Permission::read_write);
                   const json::object body = parse_body(ctx.request.body);
                   BodyReader reader(body);
                   reader.string("payer_id", {true});
                   const auto payment = reader.string("payment_id", {true});
                   reader.finish();
                   billing::paypal_execute(ctx.tx(), *payment);
                   return http::Response::json("{}");
               });
    // The spec asks account:read_only; applying a code takes the account access grant's
    // read_write.
    router.add("POST", "/account/promo-codes", "post-promo-credit", ro, [](http::Context& ctx) {
        require(ctx, Permission::read_write);
        const json::object body = parse_body(ctx.request.body);
        BodyReader reader(body);
        const auto code = reader.string("promo_code", {true, 1, 32});
        reader.finish();
        return http::Response::json(to_json(promotion_doc(billing::apply_promo(ctx.tx(), *code))));
    });
}

}  // namespace linnet::api
