// Sign-ins through the login service: the account's (/account/logins, its unrestricted users
// only, as the spec says) and the caller's own (/profile/logins).
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "auth/login_history_repository.hpp"

namespace linnet::api {

void register_logins(http::Router& router) {
    using auth::LoginHistoryRepository;
    const auto ro = auth::Requirement::of("account:read_only");
    router.add("GET", "/account/logins", "get-account-logins", ro, [](http::Context& ctx) {
        auth::require_unrestricted(ctx.caller());
        return list(ctx, LoginHistoryRepository::of_account());
    });
    router.add("GET", "/account/logins/{loginId}", "get-account-login", ro, [](http::Context& ctx) {
        auth::require_unrestricted(ctx.caller());
        return one(ctx, LoginHistoryRepository::of_account(), "id", id_param(ctx, "loginId"));
    });
    router.add("GET", "/profile/logins", "get-profile-logins", ro, [](http::Context& ctx) {
        return list(ctx, LoginHistoryRepository::of_user(ctx.caller().user_id));
    });
    router.add("GET", "/profile/logins/{loginId}", "get-profile-login", ro, [](http::Context& ctx) {
        return one(ctx, LoginHistoryRepository::of_user(ctx.caller().user_id), "id",
                   id_param(ctx, "loginId"));
    });
}

}  // namespace linnet::api
