// List versions: a transaction that touched an account's lists moves their version on when it
// commits (once, however often it touched them), and not when it rolls back; other accounts'
// and families' versions stay.
#include <gtest/gtest.h>

#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

TEST(ListVersion, MovesOnWithEachCommitThatTouchedTheList) {
    TempStore store("list-version");
    const std::int64_t account = store.account_id();
    store.finish();
    auto version = [&](std::string_view family, std::int64_t of) {
        auto tx = store.db().begin(Access::read);
        return list_version(*tx, family, of);
    };
    EXPECT_EQ(version("linodes", account), 0);
    {
        auto tx = store.db().begin(Access::write);
        tx->touch("linodes", account);
        tx->touch("linodes", account);
        tx->commit();
    }
    EXPECT_EQ(version("linodes", account), 1);
    {
        auto tx = store.db().begin(Access::write);
        tx->touch("linodes", account);
        // rolled back
    }
    EXPECT_EQ(version("linodes", account), 1);
    {
        auto tx = store.db().begin(Access::write);
        tx->touch("linodes", account);
        tx->touch("volumes", account);
        tx->commit();
    }
    EXPECT_EQ(version("linodes", account), 2);
    EXPECT_EQ(version("volumes", account), 1);
    EXPECT_EQ(version("linodes", account + 1), 0);
}

}  // namespace
}  // namespace linnet::store
