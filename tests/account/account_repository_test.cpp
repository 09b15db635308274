// The account row through AccountRepository.
#include "account/account_repository.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"

namespace linnet::account {
namespace {

class AccountRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"account-repository"};
    store::Transaction& tx_ = store_.tx();
    AccountRepository account_{tx_};
};

TEST_F(AccountRepositoryTest, TheOneAccountIsInsertedAndFound) {
    EXPECT_FALSE(account_.exists());
    EXPECT_FALSE(account_.find());
    account_.insert({R"({"company":""})", R"({"managed":false})"});
    EXPECT_TRUE(account_.exists());
    auto found = account_.find();
    ASSERT_TRUE(found);
    EXPECT_EQ(found->doc, R"({"company":""})");
    EXPECT_EQ(found->settings, R"({"managed":false})");
}

TEST_F(AccountRepositoryTest, ThereIsOnlyOneAccount) {
    account_.insert({"{}", "{}"});
    EXPECT_THROW(account_.insert({"{}", "{}"}), store::StoreError);
}

TEST_F(AccountRepositoryTest, DocumentAndSettingsAreSavedApart) {
    account_.insert({"{}", "{}"});
    account_.save_doc(R"({"company":"Linnet"})");
    EXPECT_EQ(account_.find()->doc, R"({"company":"Linnet"})");
    EXPECT_EQ(account_.find()->settings, "{}");
    account_.save_settings(R"({"network_helper":true})");
    EXPECT_EQ(account_.find()->doc, R"({"company":"Linnet"})");
    EXPECT_EQ(account_.find()->settings, R"({"network_helper":true})");
}

}  // namespace
}  // namespace linnet::account
