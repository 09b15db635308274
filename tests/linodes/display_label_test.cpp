// Display labels: the 2016 rule, and the modern labels derived from them (pattern, uniqueness).
#include "linodes/display_label.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/database.hpp"

namespace linnet::linodes {
namespace {

class DisplayLabel : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("linnet-display-label-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        db_ = store::open_database("", dir_);
        tx_ = db_->begin(store::Access::write);
        tx_->execute(
            "INSERT INTO accounts (id, doc, settings, created) VALUES (1, '{}', '{}', '')");
        tx_->set_scope(store::Scope::account(1));
        tx_->execute(
            "INSERT INTO users (id, account_id, username, email, profile, created) VALUES (1, 1, "
            "'owner', 'owner@localhost', '{}', '')");
    }
    void TearDown() override {
        tx_.reset();
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    void add_linode(const std::string& label) {
        tx_->execute(
            "INSERT INTO linodes (account_id, user_id, label, region, type, status, group_name, "
            "created, updated) VALUES (1, 1, ?, 'us-east', 'g6-nanode-1', 'offline', '', '', '')",
            {label});
    }
    std::filesystem::path dir_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<store::Transaction> tx_;
};

TEST_F(DisplayLabel, TheRuleOf2016AllowsSpaces) {
    EXPECT_FALSE(display_label_problem("My Awesome Linode"));
    EXPECT_TRUE(display_label_problem("ab"));
    EXPECT_TRUE(display_label_problem(std::string(65, 'x')));
    EXPECT_TRUE(display_label_problem("tab\there"));
}

TEST_F(DisplayLabel, ModernLabelsFitThePattern) {
    for (const char* display :
         {"My Awesome Linode", "  web server #1 ", "a--b", "é", "!!", "x.y", "...dots...", "a b"}) {
        const auto label = modern_label(*tx_, display);
        EXPECT_TRUE(valid_label(label)) << display << " -> " << label;
    }
    EXPECT_EQ(modern_label(*tx_, "My Awesome Linode"), "My-Awesome-Linode");
    EXPECT_EQ(modern_label(*tx_, "web-1"), "web-1");
    EXPECT_EQ(modern_label(*tx_, std::string(64, 'a') + " b").size(), 60u);
}

TEST_F(DisplayLabel, ModernLabelsStayUnique) {
    add_linode("My-Awesome-Linode");
    EXPECT_EQ(modern_label(*tx_, "My Awesome Linode"), "My-Awesome-Linode-2");
    add_linode("My-Awesome-Linode-2");
    EXPECT_EQ(modern_label(*tx_, "My Awesome Linode"), "My-Awesome-Linode-3");
}

TEST_F(DisplayLabel, KeptOnlyWhenTheModernPatternCannotHoldIt) {
    Instance linode;
    linode.id = 7;
    set_display_label(*tx_, linode, "plain-label");
    EXPECT_EQ(linode.label, "plain-label");
    EXPECT_EQ(display_label(linode), "plain-label");
    set_display_label(*tx_, linode, "My Awesome Linode");
    EXPECT_EQ(linode.label, "My-Awesome-Linode");
    EXPECT_EQ(display_label(linode), "My Awesome Linode");
    clear_display_label(linode);
    EXPECT_EQ(display_label(linode), "My-Awesome-Linode");
}

}  // namespace
}  // namespace linnet::linodes
