// Accounts through AccountRepository: each account reads and writes only its own row.
#include "account/account_repository.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "account/accounts.hpp"
#include "auth/principal.hpp"
#include "auth/user_repository.hpp"
#include "store/temp_store.hpp"

namespace linnet::account {
namespace {

class AccountRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"account-repository"};
    store::Transaction& tx_ = store_.tx();
};

TEST_F(AccountRepositoryTest, EachAccountSeesItsOwnRow) {
    tx_.set_scope(store::Scope::system());
    const auto a =
        AccountRepository(tx_).insert({R"({"company":"A"})", "{}"}, "E-A", "2026-01-01T00:00:00");
    const auto b =
        AccountRepository(tx_).insert({R"({"company":"B"})", "{}"}, "E-B", "2026-01-01T00:00:00");
    EXPECT_NE(a, b);
    EXPECT_TRUE(AccountRepository(tx_).exists(a));
    tx_.set_scope(store::Scope::account(a));
    EXPECT_EQ(AccountRepository(tx_).find()->doc, R"({"company":"A"})");
    AccountRepository(tx_).save_doc(R"({"company":"A2"})");
    AccountRepository(tx_).save_settings(R"({"managed":false})");
    tx_.set_scope(store::Scope::account(b));
    EXPECT_EQ(AccountRepository(tx_).find()->doc, R"({"company":"B"})");
    EXPECT_EQ(AccountRepository(tx_).find()->settings, "{}");
    tx_.set_scope(store::Scope::account(a));
    EXPECT_EQ(AccountRepository(tx_).find()->doc, R"({"company":"A2"})");
    EXPECT_EQ(AccountRepository(tx_).find()->settings, R"({"managed":false})");
}

TEST_F(AccountRepositoryTest, TheSystemScopeHasNoAccountOfItsOwn) {
    tx_.set_scope(store::Scope::system());
    EXPECT_THROW(AccountRepository(tx_).find(), store::StoreError);
    tx_.set_scope(store::Scope::none());
    EXPECT_FALSE(AccountRepository(tx_).find());
}

TEST_F(AccountRepositoryTest, CreatedAccountsCarryTheirEmailAndAnEuuid) {
    tx_.set_scope(store::Scope::system());
    const auto first = first_or_create(tx_, "ops@example.com");
    EXPECT_EQ(first_or_create(tx_, "other@example.com"), first);
    const auto second = create_account(tx_, "b@example.com");
    EXPECT_NE(first, second);
    EXPECT_EQ(resolve(tx_, std::to_string(second)), second);
    EXPECT_FALSE(resolve(tx_, "999999"));
    EXPECT_FALSE(resolve(tx_, "nobody-here"));
    tx_.set_scope(store::Scope::account(second));
    const auto doc = AccountRepository(tx_).find()->doc;
    EXPECT_NE(doc.find("\"email\":\"b@example.com\""), std::string::npos);
    EXPECT_NE(doc.find("\"euuid\":\""), std::string::npos);
}

TEST_F(AccountRepositoryTest, AChildAccountHasItsParentAndAProxyUser) {
    tx_.set_scope(store::Scope::system());
    const auto parent = create_account(tx_, "p@example.com");
    tx_.set_scope(store::Scope::account(parent));
    AccountRepository(tx_).save_doc(R"({"company":"Acme Hosting, Inc.","email":"p@example.com"})");
    tx_.set_scope(store::Scope::system());
    const auto child = create_account(tx_, "c@example.com", parent);
    tx_.set_scope(store::Scope::account(child));
    const auto admin = auth::create_user(tx_, "kid-admin", "c@example.com", false);
    tx_.set_scope(store::Scope::system());
    add_proxy_user(tx_, child);
    const auto other = create_account(tx_, "o@example.com");

    tx_.set_scope(store::Scope::account(child));
    EXPECT_EQ(AccountRepository(tx_).parent_of(), parent);
    EXPECT_FALSE(AccountRepository(tx_).has_children());
    auth::UserRepository users(tx_);
    const auto proxy = users.find(users.proxy().value()).value();
    EXPECT_EQ(proxy.user_type, "proxy");
    EXPECT_EQ(users.first_id(), admin);
    EXPECT_EQ(users.find(admin).value().user_type, "child");
    EXPECT_EQ(proxy.email, "p@example.com");
    const std::string euuid = std::string(
        boost::json::parse(AccountRepository(tx_).find()->doc).as_object().at("euuid").as_string());
    EXPECT_EQ(proxy.username, proxy_username("Acme Hosting, Inc.", euuid));
    EXPECT_EQ(proxy.username.substr(0, 15), "Acme-Hosting-I_");

    tx_.set_scope(store::Scope::account(parent));
    EXPECT_TRUE(AccountRepository(tx_).has_children());
    EXPECT_FALSE(AccountRepository(tx_).parent_of());
    EXPECT_EQ(AccountRepository(tx_).child(euuid).value().id, child);
    // Another account finds no child by that euuid.
    tx_.set_scope(store::Scope::account(other));
    EXPECT_FALSE(AccountRepository(tx_).child(euuid));
}

TEST(ProxyUsernameTest, IsAUsernameOfItsCompanyAndAHash) {
    EXPECT_EQ(proxy_username("", "X").substr(0, 7), "parent_");
    EXPECT_EQ(proxy_username("ab", "X").size(), 2u + 1 + 16);
    EXPECT_NE(proxy_username("ab", "X"), proxy_username("ab", "Y"));
    EXPECT_TRUE(auth::valid_username(proxy_username("--a__b!!", "X")));
    EXPECT_TRUE(auth::valid_username(proxy_username("Ünïcode Ltd", "X")));
}

}  // namespace
}  // namespace linnet::account
