// The tokens table through TokenRepository: stored by hash, found as a bearer with its user,
// personal lists, renames and every way tokens are removed.
#include "auth/token_repository.hpp"

#include <gtest/gtest.h>

#include "auth/oauth_repository.hpp"
#include "auth/user_repository.hpp"
#include "store/temp_store.hpp"

namespace linnet::auth {
namespace {

class TokenRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"token-repository"};
    store::Transaction& tx_ = store_.tx();
    TokenRepository tokens_{tx_};
    std::int64_t alice_ = UserRepository(tx_).insert({"alice", "a@example.com", true, "{}", "t"});
    std::int64_t bob_ = UserRepository(tx_).insert({"bob", "b@example.com", false, "{}", "t"});

    std::int64_t add(std::int64_t user, const std::string& hash,
                     const std::string& kind = "personal_access_token") {
        const auto id = tokens_.insert({user, kind, "label-" + hash, "*", hash, hash.substr(0, 4),
                                        "2026-01-01T00:00:00", std::nullopt, std::nullopt});
        tokens_.set_doc(id, "{\"hash\":\"" + hash + "\"}");
        return id;
    }

    std::int64_t app_for(const std::string& client_id, std::int64_t user) {
        OAuthRepository oauth(tx_);
        if (!oauth.find_client(client_id))
            oauth.insert_client(
                {client_id, user, "App", true, "https://app.example", std::nullopt, "active"}, "t");
        return oauth.insert_app(user, client_id, "*", "t");
    }

    std::vector<std::string> personal_docs(std::int64_t user) {
        return store::read_page(tx_, TokenRepository::personal_tokens(user), filter::Query{},
                                Page{})
            .docs;
    }
};

TEST_F(TokenRepositoryTest, BearerIsFoundByHashWithItsUser) {
    const auto id =
        tokens_.insert({alice_, "personal_access_token", "cli", "linodes:read_only", "h1", "h1",
                        "2026-01-01T00:00:00", "2030-01-01T00:00:00", std::int64_t{1893456000}});
    auto bearer = tokens_.find_bearer("h1");
    ASSERT_TRUE(bearer);
    EXPECT_EQ(bearer->token_id, id);
    EXPECT_EQ(bearer->scopes, "linodes:read_only");
    EXPECT_EQ(bearer->expiry_unix, 1893456000);
    EXPECT_EQ(bearer->user_id, alice_);
    EXPECT_EQ(bearer->username, "alice");
    EXPECT_TRUE(bearer->restricted);
    EXPECT_FALSE(tokens_.find_bearer("h2"));
    add(bob_, "h2");
    EXPECT_FALSE(tokens_.find_bearer("h2")->expiry_unix);
    EXPECT_FALSE(tokens_.find_bearer("h2")->restricted);
}

TEST_F(TokenRepositoryTest, BearersAreFoundTogetherInTheOrderAsked) {
    const auto a = add(alice_, "ha");
    const auto b = add(bob_, "hb");
    store_.finish();
    for (int commit = 0; commit < 2; ++commit) {
        auto tx = store_.db().begin_in(store::Access::write, store::Scope::system());
        tx->touch("linodes", store_.account_id());
        tx->commit();
    }
    auto tx = store_.db().begin_in(store::Access::read, store::Scope::system());
    const auto version = store::list_version(*tx, "linodes", store_.account_id());
    EXPECT_GT(version, 0);
    // More lookups than one statement takes, with repeats and unknown hashes among them.
    std::vector<BearerLookup> lookups;
    for (std::size_t i = 0; i < TokenRepository::kBearersAtOnce + 5; ++i)
        lookups.push_back({i % 3 == 0   ? "ha"
                           : i % 3 == 1 ? "hb"
                                        : "unknown-" + std::to_string(i),
                           i % 2 == 0 ? "linodes" : ""});
    const auto found = TokenRepository(*tx).find_bearers(lookups);
    ASSERT_EQ(found.size(), lookups.size());
    for (std::size_t i = 0; i < lookups.size(); ++i) {
        SCOPED_TRACE(i);
        if (i % 3 == 2) {
            EXPECT_FALSE(found[i]);
            continue;
        }
        ASSERT_TRUE(found[i]);
        EXPECT_EQ(found[i]->token_id, i % 3 == 0 ? a : b);
        EXPECT_EQ(found[i]->username, i % 3 == 0 ? "alice" : "bob");
        EXPECT_EQ(found[i]->account_id, store_.account_id());
        EXPECT_EQ(found[i]->restricted, i % 3 == 0);
        // The lists' version comes with the lookups that name a family.
        if (i % 2 == 0)
            EXPECT_EQ(found[i]->list_version, version);
        else
            EXPECT_FALSE(found[i]->list_version);
    }
    EXPECT_TRUE(TokenRepository(*tx).find_bearers({}).empty());
}

TEST_F(TokenRepositoryTest, HashesAreUnique) {
    add(alice_, "same");
    EXPECT_THROW(add(bob_, "same"), store::StoreError);
}

TEST_F(TokenRepositoryTest, PersonalTokensAreOnlyTheUsersOwn) {
    const auto mine = add(alice_, "a1");
    add(alice_, "a2", "oauth");
    const auto theirs = add(bob_, "b1");
    EXPECT_EQ(personal_docs(alice_), (std::vector<std::string>{R"({"hash":"a1"})"}));
    EXPECT_EQ(tokens_.personal_doc(alice_, mine), R"({"hash":"a1"})");
    EXPECT_FALSE(tokens_.personal_doc(alice_, theirs));
    EXPECT_FALSE(tokens_.personal_doc(alice_, mine + 100));
}

TEST_F(TokenRepositoryTest, RenameChangesLabelAndDocument) {
    const auto id = add(alice_, "a1");
    tokens_.rename(id, "new", R"({"label":"new"})");
    EXPECT_EQ(tokens_.personal_doc(alice_, id), R"({"label":"new"})");
    auto page = store::read_page(
        tx_, TokenRepository::personal_tokens(alice_),
        filter::parse(R"({"label":"new"})", TokenRepository::personal_tokens(alice_).schema),
        Page{});
    EXPECT_EQ(page.results, 1);
}

TEST_F(TokenRepositoryTest, RemoveOneOrAllOfAUsers) {
    const auto a1 = add(alice_, "a1");
    add(alice_, "a2");
    add(bob_, "b1");
    tokens_.remove(a1);
    EXPECT_FALSE(tokens_.find_bearer("a1"));
    EXPECT_TRUE(tokens_.find_bearer("a2"));
    tokens_.remove_for_user(alice_);
    EXPECT_FALSE(tokens_.find_bearer("a2"));
    EXPECT_TRUE(tokens_.find_bearer("b1"));
}

TEST_F(TokenRepositoryTest, AppTokensAreFoundAndRemovedByAppAndClient) {
    const auto app1 = app_for("client1", alice_);
    const auto app2 = app_for("client2", alice_);
    const auto t1 = add(alice_, "t1", "oauth");
    const auto t2 = add(alice_, "t2", "oauth");
    const auto t3 = add(alice_, "t3", "oauth");
    add(alice_, "personal");
    tokens_.set_app(t1, app1);
    tokens_.set_app(t2, app1);
    tokens_.set_app(t3, app2);
    EXPECT_EQ(tokens_.find_for_client("t1", "client1"), t1);
    EXPECT_FALSE(tokens_.find_for_client("t1", "client2"));
    EXPECT_FALSE(tokens_.find_for_client("personal", "client1"));
    tokens_.remove_for_app(app1);
    EXPECT_FALSE(tokens_.find_bearer("t1"));
    EXPECT_FALSE(tokens_.find_bearer("t2"));
    EXPECT_TRUE(tokens_.find_bearer("t3"));
    tokens_.remove_for_client("client2");
    EXPECT_FALSE(tokens_.find_bearer("t3"));
    EXPECT_TRUE(tokens_.find_bearer("personal"));
}

}  // namespace
}  // namespace linnet::auth
