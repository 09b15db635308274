// Longview agents' URLs (outside /v4, on the router of the login service and image uploads,
// which run in the system scope): POST /longview/post takes what an agent sends, and POST
// /longview/fetch answers it back. The client's API key, in the post, is the credential.
#include "api/routes.hpp"
#include "longview/agent.hpp"

namespace linnet::api {

void register_longview_agent(http::Router& router) {
    router.add("POST", "/longview/post", "post-longview-agent-data", auth::Requirement::open(),
               [](http::Context& ctx) {
                   const auto a = longview::receive(
                       ctx.tx(), ctx.request.header("content-type").value_or(""), ctx.request.body);
                   return http::Response::json(a.body, a.status);
               });
    router.add("POST", "/longview/fetch", "post-longview-fetch", auth::Requirement::open(),
               [](http::Context& ctx) {
                   const auto a = longview::fetch(
                       ctx.tx(), ctx.request.header("content-type").value_or(""), ctx.request.body);
                   return http::Response::json(a.body, a.status);
               });
}

}  // namespace linnet::api
