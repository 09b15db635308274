// List versions: a transaction that touched an account's lists moves their version on when it
// commits (once, however often it touched them), and not when it rolls back; other accounts'
// and families' versions stay.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

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

// Writers side by side (on PostgreSQL each draws one of the version's slots): every commit still
// moves the version on by one, and a reader never sees it go back.
TEST(ListVersion, EveryCommitOfWritersSideBySideCounts) {
    TempStore store("list-version-writers");
    const std::int64_t account = store.account_id();
    store.finish();
    constexpr int kWriters = 6, kCommits = 25;
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w)
        writers.emplace_back([&] {
            for (int c = 0; c < kCommits; ++c) {
                auto tx = store.db().begin(Access::write);
                tx->touch("linodes", account);
                tx->commit();
            }
        });
    std::int64_t seen = 0;
    bool went_back = false;
    for (int i = 0; i < 50; ++i) {
        auto tx = store.db().begin(Access::read);
        const auto now = list_version(*tx, "linodes", account);
        went_back = went_back || now < seen;
        seen = now;
    }
    for (auto& w : writers) w.join();
    auto tx = store.db().begin(Access::read);
    EXPECT_EQ(list_version(*tx, "linodes", account), kWriters * kCommits);
    EXPECT_FALSE(went_back);
}

}  // namespace
}  // namespace linnet::store
