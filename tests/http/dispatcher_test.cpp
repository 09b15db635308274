// The request pipeline: errors rendered once, internals never leaked, scopes enforced, and the
// catalog cache serving repeated requests without calling the handler again.
#include "http/dispatcher.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "account/accounts.hpp"
#include "auth/principal.hpp"
#include "auth/token.hpp"
#include "core/error.hpp"

namespace linnet::http {
namespace {

class DispatcherTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("linnet-dispatch-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        db_ = store::open_database("", dir_);
        token_ = account_owner_token("alice");

        router_.add("GET", "/boom", "boom", auth::Requirement::open(),
                    [](Context&) -> Response { throw std::runtime_error("secret path /etc/x"); });
        router_.add(
            "GET", "/fine", "fine", auth::Requirement::of("linodes:read_only"),
            [](Context& ctx) { return Response::json("\"" + ctx.caller().username + "\""); });
        router_.add("PUT", "/fine", "fine-put", auth::Requirement::of("linodes:read_write"),
                    [](Context&) { return Response::json("{}"); });
        router_.add(
            "GET", "/counted", "counted", auth::Requirement::open(),
            [this](Context&) { return Response::json(std::to_string(++calls_)); }, true);
    }
    // A new account whose owner is `username`: a linodes:read_only token of theirs.
    std::string account_owner_token(const std::string& username) {
        auto tx = db_->begin_in(store::Access::write, store::Scope::system());
        const std::string email = username + "@example.com";
        tx->set_scope(store::Scope::account(account::create_account(*tx, email)));
        auto user = auth::create_user(*tx, username, email, false);
        auto token =
            auth::create_token(
                *tx, {user, "t", *auth::ScopeSet::parse("linodes:read_only"), std::nullopt})
                .token;
        tx->commit();
        return token;
    }
    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }

    Response call(std::string method, std::string target, std::string authorization = "") {
        Request r;
        r.method = std::move(method);
        r.target = std::move(target);
        if (!authorization.empty()) r.headers["authorization"] = authorization;
        Dispatcher d(router_, *db_);
        return d.handle(r).response;
    }

    static std::string header(const Response& r, std::string_view name) {
        for (const auto& [k, v] : r.headers)
            if (k == name) return v;
        return "";
    }

    std::filesystem::path dir_;
    std::unique_ptr<store::Database> db_;
    Router router_;
    std::string token_;
    int calls_ = 0;
};

TEST_F(DispatcherTest, UnexpectedExceptionIs500WithoutDetails) {
    Response r = call("GET", "/v4/boom");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body, R"({"errors":[{"reason":"Internal Server Error"}]})");
}

TEST_F(DispatcherTest, TokenAndScopes) {
    EXPECT_EQ(call("GET", "/v4/fine").status, 401);
    EXPECT_EQ(call("GET", "/v4/fine", "Bearer nope").status, 401);
    Response ok = call("GET", "/v4beta/fine", "Bearer " + token_);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, "\"alice\"");
    EXPECT_EQ(header(ok, "X-OAuth-Scopes"), "linodes:read_only");
    EXPECT_EQ(header(ok, "X-Accepted-OAuth-Scopes"), "linodes:read_only");
    EXPECT_EQ(call("GET", "/v4/fine", "token " + token_).status, 200);
    Response denied = call("PUT", "/v4/fine", "Bearer " + token_);
    EXPECT_EQ(denied.status, 401);
    EXPECT_EQ(header(denied, "X-Accepted-OAuth-Scopes"), "linodes:read_write");
}

TEST_F(DispatcherTest, RequestsPreparedTogetherAnswerAsEachAlone) {
    // A second account's caller, among alice's requests.
    const std::string bob = account_owner_token("bob");
    struct Asked {
        std::string method, target, authorization;
        bool found_ahead;  // a request of the API with a token: its caller is found with the others
    };
    const std::vector<Asked> asked = {
        {"GET", "/v4/fine", "Bearer " + token_, true},
        {"GET", "/v4/fine", "Bearer nope", true},
        {"GET", "/v4/fine", "Bearer " + bob, true},
        {"HEAD", "/v4/fine", "token " + token_, true},
        {"GET", "/v4/fine", "", false},
        {"GET", "/v4/fine", "Basic " + token_, true},
        {"PUT", "/v4/fine", "Bearer " + token_, true},
        {"GET", "/v4/nothing", "Bearer " + token_, false},
        {"GET", "/v4/counted", "Bearer " + bob, false},
        {"OPTIONS", "/v4/fine", "Bearer " + bob, false},
        {"GET", "/v4/fine", "Bearer " + bob, true},
    };
    std::vector<Request> requests(asked.size());
    std::vector<const Request*> pointers;
    for (std::size_t i = 0; i < asked.size(); ++i) {
        requests[i].method = asked[i].method;
        requests[i].target = asked[i].target;
        if (!asked[i].authorization.empty())
            requests[i].headers["authorization"] = asked[i].authorization;
        pointers.push_back(&requests[i]);
    }
    Dispatcher d(router_, *db_);
    auto prepared = d.prepare_all(pointers);
    ASSERT_EQ(prepared.size(), asked.size());
    for (std::size_t i = 0; i < asked.size(); ++i) {
        SCOPED_TRACE(asked[i].method + " " + asked[i].target + " " + asked[i].authorization);
        EXPECT_EQ(prepared[i].caller.has_value(), asked[i].found_ahead);
        const Response alone = d.handle(requests[i]).response;
        const Response together = d.handle(requests[i], &prepared[i]).response;
        EXPECT_EQ(together.status, alone.status);
        EXPECT_EQ(together.body, alone.body);
        EXPECT_EQ(together.headers, alone.headers);
    }
    EXPECT_EQ(prepared[0].caller->value().username, "alice");
    EXPECT_FALSE(prepared[1].caller->has_value());
    EXPECT_EQ(prepared[2].caller->value().username, "bob");
    EXPECT_EQ(prepared[10].caller->value().username, "bob");
}

TEST_F(DispatcherTest, OneRequestIsPreparedWithoutItsCaller) {
    // Alone, a request finds its caller in its own transaction, as handle() does.
    Request r;
    r.method = "GET";
    r.target = "/v4/fine";
    r.headers["authorization"] = "Bearer " + token_;
    Dispatcher d(router_, *db_);
    auto prepared = d.prepare_all({&r});
    ASSERT_EQ(prepared.size(), 1u);
    EXPECT_TRUE(prepared[0].routed);
    EXPECT_FALSE(prepared[0].caller);
    EXPECT_EQ(d.handle(r, &prepared[0]).response.body, "\"alice\"");
}

TEST_F(DispatcherTest, CorsOnEveryAnswer) {
    Response r = call("GET", "/v4/nothing");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "*");
    Response pre = call("OPTIONS", "/v4/fine");
    EXPECT_EQ(pre.status, 200);
    EXPECT_NE(header(pre, "Access-Control-Allow-Headers").find("X-Filter"), std::string::npos);
}

TEST_F(DispatcherTest, ImmutableRoutesAreAnsweredFromTheCache) {
    Request r;
    r.method = "GET";
    r.target = "/v4/counted";
    Dispatcher d(router_, *db_);
    EXPECT_EQ(d.handle(r).response.body, "1");
    EXPECT_EQ(d.handle(r).response.body, "1");
    r.target = "/v4/counted?page=2";
    EXPECT_EQ(d.handle(r).response.body, "2");
    r.headers["x-filter"] = "{}";
    EXPECT_EQ(d.handle(r).response.body, "3");
}

TEST_F(DispatcherTest, LoginServiceAnswersOutsideTheApi) {
    Router login;
    login.add("GET", "/login", "login-form", auth::Requirement::open(), [](Context&) {
        Response r;
        r.body = "<h1>Sign in</h1>";
        r.content_type = "text/html";
        return r;
    });
    Dispatcher d(router_, *db_);
    d.mount_login(login);
    Request r;
    r.method = "GET";
    r.target = "/login?next=%2F";
    Response page = d.handle(r).response;
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body, "<h1>Sign in</h1>");
    EXPECT_EQ(header(page, "Access-Control-Allow-Origin"), "");  // pages are not the API
    r.method = "POST";
    EXPECT_EQ(d.handle(r).response.status, 405);
    // Other paths answer as they always did: the API's JSON 404, and /v4 is the API's.
    r.method = "GET";
    r.target = "/nowhere";
    Response missing = d.handle(r).response;
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(header(missing, "Access-Control-Allow-Origin"), "*");
    r.target = "/v4/login";
    EXPECT_EQ(d.handle(r).response.status, 404);
}

TEST_F(DispatcherTest, KnowsTheRequestsThatHashPasswords) {
    auto ok = [](Context&) { return Response::json("{}"); };
    router_.add("POST", "/profile/security-questions", "post-security-questions",
                auth::Requirement::open(), ok);
    router_.hashes_passwords("POST", "/profile/security-questions");
    Router login;
    login.add("POST", "/login", "login", auth::Requirement::open(), ok);
    login.hashes_passwords("POST", "/login");
    Dispatcher d(router_, *db_);
    d.mount_login(login);
    auto hashing = [&](std::string method, std::string target) {
        Request r;
        r.method = std::move(method);
        r.target = std::move(target);
        return d.hashing(r);
    };
    EXPECT_TRUE(hashing("POST", "/v4/profile/security-questions"));
    EXPECT_TRUE(hashing("POST", "/v4beta/profile/security-questions/"));
    EXPECT_TRUE(hashing("POST", "/login?next=%2F"));
    EXPECT_FALSE(hashing("GET", "/v4/profile/security-questions"));
    EXPECT_FALSE(hashing("POST", "/profile/security-questions"));  // not the API's path
    EXPECT_FALSE(hashing("POST", "/v4/login"));                    // not the login service's
    EXPECT_FALSE(hashing("GET", "/v4/fine"));
}

}  // namespace
}  // namespace linnet::http
