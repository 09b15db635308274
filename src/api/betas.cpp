// /betas (the beta programs running now) and /account/betas (the account's enrolments); and
// /account/agreements (the agreements the account accepted).
#include <boost/json.hpp>

#include "account/agreement_repository.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "betas/beta_repository.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace linnet::api {

namespace json = boost::json;

namespace {

http::Response enrol(http::Context& ctx) {
    auth::require_account(ctx.tx(), ctx.caller(), auth::Permission::read_write);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto id = reader.string("id", {true, 1, 64});
    reader.finish();
    betas::BetaRepository repo(ctx.tx());
    const auto program = repo.find_program(*id);
    const std::string now = now_utc();
    if (!program || program->started > now || (program->ended && *program->ended <= now))
        throw errors::bad_request("No beta program by that id is running", "id");
    if (program->greenlight_only)
        throw errors::bad_request(
            "This beta is for Green Light members only: this account is not one", "id");
    if (repo.enrolled(*id)) throw errors::bad_request("The account is already enrolled", "id");
    repo.enrol(*id, now);
    return http::Response::json("{}");
}

http::Response accept_agreements(http::Context& ctx) {
    auth::require_account(ctx.tx(), ctx.caller(), auth::Permission::read_write);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    account::AgreementRepository repo(ctx.tx());
    auto a = repo.find();
    for (auto [field, accepted] :
         {std::pair{"eu_model", &a.eu_model},
          std::pair{"master_service_agreement", &a.master_service_agreement},
          std::pair{"privacy_policy", &a.privacy_policy}}) {
        const auto sent = reader.boolean(field);
        if (sent && !*sent && *accepted)
            reader.fail(field, "An accepted agreement is not withdrawn");
        else if (sent && *sent)
            *accepted = true;
    }
    reader.finish();
    repo.save(a);
    return http::Response::json("{}");
}

}  // namespace

void register_betas(http::Router& router) {
    using auth::Requirement;
    const auto ro = Requirement::of("account:read_only");
    const auto rw = Requirement::of("account:read_write");
    // The spec asks only a token of the catalog's reads.
    const auto token = Requirement::token();
    router.add("GET", "/betas", "get-beta-programs", token, [](http::Context& ctx) {
        return list(ctx, betas::BetaRepository::active_listing(now_utc()));
    });
    router.add("GET", "/betas/{betaId}", "get-beta-program", token, [](http::Context& ctx) {
        const auto program = betas::BetaRepository(ctx.tx()).find_program(ctx.param("betaId"));
        if (!program) throw errors::not_found();
        return http::Response::json(betas::render(*program));
    });
    router.add("GET", "/account/betas", "get-enrolled-beta-programs", ro, [](http::Context& ctx) {
        auth::require_account(ctx.tx(), ctx.caller(), auth::Permission::read_only);
        return list(ctx, betas::BetaRepository::enrolled_listing());
    });
    router.add("POST", "/account/betas", "post-beta-program", rw, enrol);
    router.add("GET", "/account/betas/{betaId}", "get-enrolled-beta-program", ro,
               [](http::Context& ctx) {
                   auth::require_account(ctx.tx(), ctx.caller(), auth::Permission::read_only);
                   betas::BetaRepository repo(ctx.tx());
                   const std::string id(ctx.param("betaId"));
                   const auto when = repo.enrolled(id);
                   const auto program = repo.find_program(id);
                   if (!when || !program) throw errors::not_found();
                   return http::Response::json(betas::render(*program, when));
               });
    router.add("GET", "/account/agreements", "get-account-agreements", ro, [](http::Context& ctx) {
        auth::require_account(ctx.tx(), ctx.caller(), auth::Permission::read_only);
        const auto a = account::AgreementRepository(ctx.tx()).find();
        return http::Response::json(
            to_json(json::object{{"eu_model", a.eu_model},
                                 {"master_service_agreement", a.master_service_agreement},
                                 {"privacy_policy", a.privacy_policy}}));
    });
    router.add("POST", "/account/agreements", "post-account-agreements", rw, accept_agreements);
}

}  // namespace linnet::api
