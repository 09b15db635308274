// Scope sets: parsing, what they allow, whether one covers another.
#include "auth/scope.hpp"

#include <gtest/gtest.h>

namespace linnet::auth {
namespace {

TEST(ScopeSet, ParsesAndPrintsSorted) {
    auto s = ScopeSet::parse("linodes:read_write account:read_only,images:read_only");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->str(), "account:read_only images:read_only linodes:read_write");
    EXPECT_EQ(ScopeSet::parse("*")->str(), "*");
    EXPECT_EQ(ScopeSet::parse("linodes:*")->str(), "linodes:read_write");
}

TEST(ScopeSet, RejectsUnknown) {
    EXPECT_FALSE(ScopeSet::parse(""));
    EXPECT_FALSE(ScopeSet::parse("nothing:read_only"));
    EXPECT_FALSE(ScopeSet::parse("linodes:delete"));
    EXPECT_FALSE(ScopeSet::parse("linodes"));
}

TEST(ScopeSet, ReadWriteImpliesReadOnly) {
    auto s = *ScopeSet::parse("linodes:read_write account:read_only");
    EXPECT_TRUE(s.allows({"linodes", Level::read_only}));
    EXPECT_TRUE(s.allows({"linodes", Level::read_write}));
    EXPECT_TRUE(s.allows({"account", Level::read_only}));
    EXPECT_FALSE(s.allows({"account", Level::read_write}));
    EXPECT_FALSE(s.allows({"images", Level::read_only}));
    EXPECT_TRUE(ScopeSet::everything().allows({"images", Level::read_write}));
}

TEST(ScopeSet, Covers) {
    auto wide = *ScopeSet::parse("linodes:read_write account:read_only");
    EXPECT_TRUE(wide.covers(*ScopeSet::parse("linodes:read_only")));
    EXPECT_TRUE(wide.covers(*ScopeSet::parse("linodes:read_write account:read_only")));
    EXPECT_FALSE(wide.covers(*ScopeSet::parse("account:read_write")));
    EXPECT_FALSE(wide.covers(ScopeSet::everything()));
    EXPECT_TRUE(ScopeSet::everything().covers(ScopeSet::everything()));
}

TEST(Requirement, AcceptedAndDescribed) {
    auto r = Requirement::of("images:read_write,linodes:read_only");
    EXPECT_EQ(r.accepted(), "images:read_write linodes:read_only");
    EXPECT_EQ(r.describe(), "images:read_write,linodes:read_only");
    EXPECT_EQ(Requirement::open().describe(), "public");
    EXPECT_EQ(Requirement::token().describe(), "token");
    EXPECT_THROW(Requirement::of("bogus:read_only"), std::invalid_argument);
}

}  // namespace
}  // namespace linnet::auth
