// Accounts through AccountRepository: each account reads and writes only its own row.
#include "account/account_repository.hpp"

#include <gtest/gtest.h>

#include "account/accounts.hpp"
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
    const auto a = AccountRepository(tx_).insert({R"({"company":"A"})", "{}"}, "2026-01-01T00:00:00");
    const auto b = AccountRepository(tx_).insert({R"({"company":"B"})", "{}"}, "2026-01-01T00:00:00");
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

}  // namespace
}  // namespace linnet::account
