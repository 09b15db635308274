// The clock seam, opened to tests: POST /linnet-test/clock {"advance": SECONDS} moves this
// process's clock on (or back) and answers the time it now reads. The route exists only when the
// server starts with LINNET_TEST_CLOCK=1, and answers only callers on this machine (loopback);
// a Linnet serving anyone else never has it.
#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <cstdlib>

#include "api/list.hpp"
#include "api/routes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace linnet::api {

bool test_clock_wanted() {
    const char* v = std::getenv("LINNET_TEST_CLOCK");
    return v != nullptr && std::string_view(v) == "1";
}

void register_test_clock(http::Router& router, const Environment& env) {
    spdlog::warn("LINNET_TEST_CLOCK=1: POST /linnet-test/clock moves this server's clock");
    router.add(
        "POST", "/linnet-test/clock", "post-test-clock", auth::Requirement::open(),
        [&env](http::Context& ctx) {
            const std::string& peer = ctx.request.remote_address;
            if (!peer.starts_with("127.") && peer != "::1" && !peer.starts_with("::ffff:127."))
                throw errors::forbidden("The test clock answers callers on this machine");
            const boost::json::object body = parse_body(ctx.request.body);
            BodyReader reader(body);
            constexpr std::int64_t kDecade = 10LL * 366 * 86400;
            const auto by = reader.integer("advance", true);
            if (by && (*by < -kDecade || *by > kDecade))
                reader.fail("advance", "advance must be within ten years");
            reader.finish();
            clock::advance(std::chrono::seconds(by.value_or(0)));
            // The worker's leases would look lapsed until its next beat.
            ctx.after_commit.push_back(env.renew_leases);
            ctx.after_commit.push_back(env.wake_workers);
            return http::Response::json(to_json(boost::json::object{{"now", now_utc()}}));
        });
}

}  // namespace linnet::api
