// OAuth clients, authorized apps, codes and refresh tokens through OAuthRepository.
#include "auth/oauth_repository.hpp"

#include <gtest/gtest.h>

#include "auth/user_repository.hpp"
#include "store/temp_store.hpp"

namespace linnet::auth {
namespace {

class OAuthRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"oauth-repository"};
    store::Transaction& tx_ = store_.tx();
    OAuthRepository oauth_{tx_};
    std::int64_t alice_ = UserRepository(tx_).insert({"alice", "a@example.com", false, "{}", "t"});
    std::int64_t bob_ = UserRepository(tx_).insert({"bob", "b@example.com", true, "{}", "t"});

    void add_client(const std::string& id, std::int64_t owner, bool is_public = false) {
        oauth_.insert_client(
            {id, owner, "App " + id, is_public, "https://" + id + ".example/cb",
             is_public ? std::nullopt : std::optional<std::string>("secret-hash"), "active"},
            "2026-01-01T00:00:00");
    }

    StoredCode code(const std::string& hash, const std::string& client, std::int64_t expiry) {
        StoredCode c;
        c.code_hash = hash;
        c.client_id = client;
        c.user_id = alice_;
        c.scopes = "linodes:read_only";
        c.redirect_uri = "https://c1.example/cb";
        c.expiry_unix = expiry;
        return c;
    }

    std::vector<std::string> docs(const store::Listing& listing) {
        return store::read_page(tx_, listing, filter::Query{}, Page{}).docs;
    }
};

TEST_F(OAuthRepositoryTest, ClientIsInsertedFoundAndChanged) {
    add_client("c1", alice_);
    auto client = oauth_.find_client("c1");
    ASSERT_TRUE(client);
    EXPECT_EQ(client->user_id, alice_);
    EXPECT_EQ(client->label, "App c1");
    EXPECT_FALSE(client->is_public);
    EXPECT_EQ(client->redirect_uri, "https://c1.example/cb");
    EXPECT_EQ(client->secret_hash, "secret-hash");
    EXPECT_EQ(client->status, "active");
    EXPECT_FALSE(oauth_.find_client("c2"));

    oauth_.set_client_label("c1", "Renamed");
    oauth_.set_client_redirect_uri("c1", "https://other.example/");
    oauth_.set_client_secret_hash("c1", "new-hash");
    client = oauth_.find_client("c1");
    EXPECT_EQ(client->label, "Renamed");
    EXPECT_EQ(client->redirect_uri, "https://other.example/");
    EXPECT_EQ(client->secret_hash, "new-hash");

    add_client("p1", alice_, true);
    EXPECT_TRUE(oauth_.find_client("p1")->is_public);
    EXPECT_FALSE(oauth_.find_client("p1")->secret_hash);
}

TEST_F(OAuthRepositoryTest, ClientIdsAreUnique) {
    add_client("c1", alice_);
    EXPECT_THROW(add_client("c1", bob_), store::StoreError);
}

TEST_F(OAuthRepositoryTest, OwnersSeeOnlyTheirClients) {
    add_client("c1", alice_);
    add_client("c2", bob_);
    EXPECT_TRUE(oauth_.find_client("c1", alice_));
    EXPECT_FALSE(oauth_.find_client("c1", bob_));
    EXPECT_TRUE(oauth_.find_client("c1"));
    auto id = [](const OAuthClient& c) { return c.id; };
    EXPECT_EQ(docs(OAuthRepository::clients(std::nullopt, id)),
              (std::vector<std::string>{"c1", "c2"}));
    EXPECT_EQ(docs(OAuthRepository::clients(bob_, id)), (std::vector<std::string>{"c2"}));
}

TEST_F(OAuthRepositoryTest, AppsAreFoundWithTheirClientAndListedPerUser) {
    add_client("c1", alice_);
    const auto app = oauth_.insert_app(alice_, "c1", "*", "2026-01-02T00:00:00");
    oauth_.insert_app(bob_, "c1", "*", "2026-01-03T00:00:00");
    auto found = oauth_.find_app(app);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->user_id, alice_);
    EXPECT_EQ(found->client_id, "c1");
    EXPECT_EQ(found->label, "App c1");
    EXPECT_EQ(found->scopes, "*");
    EXPECT_EQ(found->created, "2026-01-02T00:00:00");
    EXPECT_EQ(found->redirect_uri, "https://c1.example/cb");
    auto listing = OAuthRepository::apps_of(
        alice_, [](const AuthorizedApp& a) { return std::to_string(a.id); });
    EXPECT_EQ(docs(listing), (std::vector<std::string>{std::to_string(app)}));
    EXPECT_TRUE(store::read_one(tx_, listing, OAuthRepository::app_key(), app));
    EXPECT_FALSE(store::read_one(tx_, listing, OAuthRepository::app_key(), app + 1));
}

TEST_F(OAuthRepositoryTest, CodesAreSpentOnce) {
    add_client("c1", alice_);
    auto stored = code("h1", "c1", 1000);
    stored.code_challenge = "challenge";
    oauth_.insert_code(stored);
    auto found = oauth_.find_code("h1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->client_id, "c1");
    EXPECT_EQ(found->user_id, alice_);
    EXPECT_EQ(found->scopes, "linodes:read_only");
    EXPECT_EQ(found->redirect_uri, "https://c1.example/cb");
    EXPECT_EQ(found->code_challenge, "challenge");
    EXPECT_EQ(found->expiry_unix, 1000);
    EXPECT_FALSE(found->used);
    EXPECT_FALSE(found->app_id);
    EXPECT_TRUE(oauth_.spend_code("h1"));
    EXPECT_FALSE(oauth_.spend_code("h1"));
    const auto app = oauth_.insert_app(alice_, "c1", "*", "t");
    oauth_.set_code_app("h1", app);
    found = oauth_.find_code("h1");
    EXPECT_TRUE(found->used);
    EXPECT_EQ(found->app_id, app);
    EXPECT_FALSE(oauth_.find_code("h2"));
    EXPECT_THROW(oauth_.insert_code(code("h1", "c1", 1000)), store::StoreError);
}

TEST_F(OAuthRepositoryTest, ExpiredCodesAreSwept) {
    add_client("c1", alice_);
    oauth_.insert_code(code("old", "c1", 100));
    oauth_.insert_code(code("edge", "c1", 200));
    oauth_.insert_code(code("new", "c1", 300));
    oauth_.remove_codes_expired_before(200);
    EXPECT_FALSE(oauth_.find_code("old"));
    EXPECT_TRUE(oauth_.find_code("edge"));
    EXPECT_TRUE(oauth_.find_code("new"));
}

TEST_F(OAuthRepositoryTest, RefreshTokensAreSpentOnceAndKnowTheirClient) {
    add_client("c1", alice_);
    add_client("c2", alice_);
    const auto app = oauth_.insert_app(alice_, "c1", "*", "t");
    oauth_.insert_refresh_token("r1", app, 500);
    auto found = oauth_.find_refresh_token("r1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->app_id, app);
    EXPECT_FALSE(found->used);
    EXPECT_EQ(found->created_unix, 500);
    EXPECT_EQ(found->client_id, "c1");
    EXPECT_EQ(oauth_.refresh_token_app("r1", "c1"), app);
    EXPECT_FALSE(oauth_.refresh_token_app("r1", "c2"));
    EXPECT_TRUE(oauth_.spend_refresh_token("r1"));
    EXPECT_FALSE(oauth_.spend_refresh_token("r1"));
    EXPECT_TRUE(oauth_.find_refresh_token("r1")->used);
    EXPECT_FALSE(oauth_.find_refresh_token("r2"));
}

TEST_F(OAuthRepositoryTest, RemovingAnAppTakesItsRefreshTokens) {
    add_client("c1", alice_);
    const auto app = oauth_.insert_app(alice_, "c1", "*", "t");
    const auto other = oauth_.insert_app(alice_, "c1", "*", "t");
    oauth_.insert_refresh_token("r1", app, 1);
    oauth_.insert_refresh_token("r2", other, 1);
    oauth_.remove_app(app);
    EXPECT_FALSE(oauth_.find_app(app));
    EXPECT_FALSE(oauth_.find_refresh_token("r1"));
    EXPECT_TRUE(oauth_.find_app(other));
    EXPECT_TRUE(oauth_.find_refresh_token("r2"));
}

TEST_F(OAuthRepositoryTest, RemovingAClientTakesItsCodesAppsAndRefreshTokens) {
    add_client("c1", alice_);
    add_client("c2", alice_);
    const auto app = oauth_.insert_app(alice_, "c1", "*", "t");
    const auto kept = oauth_.insert_app(alice_, "c2", "*", "t");
    oauth_.insert_refresh_token("r1", app, 1);
    oauth_.insert_refresh_token("r2", kept, 1);
    oauth_.insert_code(code("h1", "c1", 1000));
    oauth_.insert_code(code("h2", "c2", 1000));
    oauth_.remove_client("c1");
    EXPECT_FALSE(oauth_.find_client("c1"));
    EXPECT_FALSE(oauth_.find_app(app));
    EXPECT_FALSE(oauth_.find_refresh_token("r1"));
    EXPECT_FALSE(oauth_.find_code("h1"));
    EXPECT_TRUE(oauth_.find_client("c2"));
    EXPECT_TRUE(oauth_.find_app(kept));
    EXPECT_TRUE(oauth_.find_refresh_token("r2"));
    EXPECT_TRUE(oauth_.find_code("h2"));
}

}  // namespace
}  // namespace linnet::auth
