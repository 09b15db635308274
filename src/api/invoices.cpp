// /account/invoices: the invoices of the account's closed periods and their items, for users
// with access to the account's billing.
#include <boost/json.hpp>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "billing/invoice_repository.hpp"
#include "core/error.hpp"

namespace linnet::api {

namespace {

using billing::InvoiceRepository;

void require(http::Context& ctx) {
    auth::require_account(ctx.tx(), ctx.caller(), auth::Permission::read_only);
}

}  // namespace

void register_invoices(http::Router& router) {
    const auto ro = auth::Requirement::of("account:read_only");
    router.add("GET", "/account/invoices", "get-invoices", ro, [](http::Context& ctx) {
        require(ctx);
        return list(ctx, InvoiceRepository::listing());
    });
    router.add("GET", "/account/invoices/{invoiceId}", "get-invoice", ro, [](http::Context& ctx) {
        require(ctx);
        return one(ctx, InvoiceRepository::listing(), "id", id_param(ctx, "invoiceId"));
    });
    router.add("GET", "/account/invoices/{invoiceId}/items", "get-invoice-items", ro,
               [](http::Context& ctx) {
                   require(ctx);
                   const std::int64_t id = id_param(ctx, "invoiceId");
                   if (!InvoiceRepository(ctx.tx()).exists(id)) throw errors::not_found();
                   return list(ctx, InvoiceRepository::item_listing(id));
               });
}

}  // namespace linnet::api
