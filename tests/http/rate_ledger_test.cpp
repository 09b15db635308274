// Rate limits shared by API nodes through the store: each node is a RateLimiter with a ledger of
// its own over one database. Whatever node a caller's requests reach, no more than the limit are
// admitted; one node alone admits all of it; the store sees one write per batch.
#include "http/rate_ledger.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "core/clock.hpp"
#include "http/rate_limit.hpp"
#include "store/temp_store.hpp"

namespace linnet::http {
namespace {

using std::chrono::seconds;

constexpr std::int64_t kNow = 1'800'000'000;

struct Node {
    Node(store::Database& db, std::vector<Limit> limits)
        : ledger(db), limiter(std::move(limits), &ledger) {}
    RateLedger ledger;
    RateLimiter limiter;
};

class SharedRateLimitTest : public ::testing::Test {
  protected:
    SharedRateLimitTest() : store_("shared-rate-limit") {
        store_.finish();
        clock::freeze(clock::TimePoint(seconds(kNow)));
    }
    ~SharedRateLimitTest() override { clock::reset(); }
    store::TempStore store_;
};

int admitted(RateLimiter& limiter, const std::string& identity, std::string_view operation,
             int attempts) {
    int n = 0;
    for (int i = 0; i < attempts; ++i) n += limiter.admit(identity, operation).allowed ? 1 : 0;
    return n;
}

TEST_F(SharedRateLimitTest, TwoNodesTogetherAdmitNoMoreThanTheLimit) {
    const std::vector<Limit> limits = {{"*", 40, seconds(60)}};
    Node a(store_.db(), limits), b(store_.db(), limits);
    int allowed = 0;
    for (int i = 0; i < 100; ++i) {
        auto v = (i % 2 ? b : a).limiter.admit("token:1", "get-profile");
        allowed += v.allowed ? 1 : 0;
        if (!v.allowed) {
            EXPECT_EQ(v.remaining, 0);
            EXPECT_GE(v.retry_after, 1);
            EXPECT_LE(v.retry_after, 60);
        }
    }
    EXPECT_EQ(allowed, 40);
    // A third node that joins later has nothing to give either.
    Node c(store_.db(), limits);
    EXPECT_FALSE(c.limiter.admit("token:1", "get-profile").allowed);
    // Another caller has a window of its own.
    EXPECT_TRUE(c.limiter.admit("token:2", "get-profile").allowed);
}

TEST_F(SharedRateLimitTest, OneNodeAloneAdmitsAllOfItWithOneWritePerBatch) {
    Node a(store_.db(), {{"*", 800, seconds(120)}});
    for (int i = 0; i < 800; ++i) {
        auto v = a.limiter.admit("token:1", "get-profile");
        ASSERT_TRUE(v.allowed) << i;
        // With one node, what is left is the limit less what was admitted.
        ASSERT_EQ(v.remaining, 799 - i);
        ASSERT_EQ(v.reset, kNow + 120);
    }
    EXPECT_FALSE(a.limiter.admit("token:1", "get-profile").allowed);
    EXPECT_FALSE(a.limiter.admit("token:1", "get-profile").allowed);
    // Batches of 40: 20 grants, and one sweep of old windows; refusals cost nothing.
    EXPECT_EQ(a.ledger.writes(), 21);
    EXPECT_EQ(a.ledger.failures(), 0);
}

TEST_F(SharedRateLimitTest, ACallerThatMovesToAnotherNodeLosesAtMostABatch) {
    const std::vector<Limit> limits = {{"*", 40, seconds(60)}};
    Node a(store_.db(), limits), b(store_.db(), limits);
    EXPECT_TRUE(a.limiter.admit("token:1", "x").allowed);  // a holds a batch of 2
    EXPECT_EQ(admitted(b.limiter, "token:1", "x", 100), 38);
    // The rest of a's batch is still a's to admit.
    EXPECT_EQ(admitted(a.limiter, "token:1", "x", 10), 1);
}

TEST_F(SharedRateLimitTest, WindowsStartOverOnEveryNode) {
    const std::vector<Limit> limits = {{"*", 10, seconds(60)}};
    Node a(store_.db(), limits), b(store_.db(), limits);
    EXPECT_EQ(admitted(a.limiter, "token:1", "x", 6) + admitted(b.limiter, "token:1", "x", 6), 10);
    clock::advance(std::chrono::seconds(59));
    EXPECT_FALSE(a.limiter.admit("token:1", "x").allowed);
    clock::advance(std::chrono::seconds(1));
    EXPECT_EQ(admitted(b.limiter, "token:1", "x", 6) + admitted(a.limiter, "token:1", "x", 6), 10);
    auto v = a.limiter.admit("token:1", "x");
    EXPECT_FALSE(v.allowed);
    EXPECT_EQ(v.reset, kNow + 120);
}

TEST_F(SharedRateLimitTest, ATightOperationLimitHoldsAcrossNodes) {
    const std::vector<Limit> limits = {{"*", 100, seconds(60)},
                                       {"post-linode-instance", 4, seconds(30)}};
    Node a(store_.db(), limits), b(store_.db(), limits);
    int creates = 0;
    for (int i = 0; i < 10; ++i)
        creates += (i % 2 ? b : a).limiter.admit("token:1", "post-linode-instance").allowed;
    EXPECT_EQ(creates, 4);
    // The general budget counts the admitted creates only: 96 other requests are left.
    int others = 0;
    for (int i = 0; i < 200; ++i)
        others += (i % 2 ? a : b).limiter.admit("token:1", "get-profile").allowed;
    EXPECT_EQ(others, 96);
}

TEST_F(SharedRateLimitTest, ARefusalShowsTheLimitThatRefused) {
    // Four creates use up both the create limit and the node's batch of the general one.
    Node a(store_.db(), {{"*", 80, seconds(60)}, {"post-linode-instance", 4, seconds(30)}});
    EXPECT_EQ(admitted(a.limiter, "token:1", "post-linode-instance", 4), 4);
    auto refused = a.limiter.admit("token:1", "post-linode-instance");
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.limit, 4);
    EXPECT_EQ(refused.reset, kNow + 30);
    EXPECT_EQ(refused.retry_after, 30);
    // Refused requests take nothing: the general limit is still there for the rest.
    EXPECT_EQ(admitted(a.limiter, "token:1", "get-profile", 100), 76);
}

TEST_F(SharedRateLimitTest, ConcurrentRequestsOnTwoNodesStayWithinTheLimit) {
    const std::vector<Limit> limits = {{"*", 60, seconds(60)}};
    Node a(store_.db(), limits), b(store_.db(), limits);
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back(
            [&, t] { allowed += admitted((t % 2 ? b : a).limiter, "token:1", "x", 40); });
    for (auto& t : threads) t.join();
    // Never more than the limit. A node whose callers stop right after it took a batch keeps
    // the rest of it unused: at most a batch less one per node goes unadmitted.
    EXPECT_LE(allowed.load(), 60);
    EXPECT_GE(allowed.load(), 60 - 2 * (RateLedger::batch(60) - 1));
}

TEST_F(SharedRateLimitTest, WithoutTheStoreANodeCountsOnItsOwn) {
    {
        auto tx = store_.db().begin(store::Access::write);
        tx->execute("DROP TABLE rate_windows");
        tx->commit();
    }
    Node a(store_.db(), {{"*", 10, seconds(60)}});
    EXPECT_EQ(admitted(a.limiter, "token:1", "x", 15), 10);
    // One failed write; the node then leaves the store alone for a while.
    EXPECT_EQ(a.ledger.failures(), 1);
    EXPECT_EQ(admitted(a.limiter, "token:2", "x", 15), 10);
    EXPECT_EQ(a.ledger.failures(), 1);
    clock::advance(seconds(RateLedger::kRetryAfter));
    EXPECT_TRUE(a.limiter.admit("token:3", "x").allowed);
    EXPECT_EQ(a.ledger.failures(), 2);
}

TEST_F(SharedRateLimitTest, AGrantDoesNotWaitForTheRequestsOwnWriteTransaction) {
    // A write request is counted while it holds its write transaction. On PostgreSQL that
    // transaction holds the writers' turn, which the grant must not wait for. (One SQLite file
    // has one writer: there each process counts on its own and takes no grants.)
    if (store_.db().dialect() != store::Dialect::postgresql) GTEST_SKIP() << "PostgreSQL only";
    Node a(store_.db(), {{"*", 10, seconds(60)}});
    auto held = store_.db().begin(store::Access::write);
    auto admitting =
        std::async(std::launch::async, [&] { return a.limiter.admit("token:1", "x").allowed; });
    const bool answered = admitting.wait_for(seconds(10)) == std::future_status::ready;
    held.reset();
    EXPECT_TRUE(answered);
    EXPECT_TRUE(admitting.get());
    EXPECT_EQ(a.ledger.failures(), 0);
}

TEST(RateLedger, BatchIsATwentiethOfTheLimit) {
    EXPECT_EQ(RateLedger::batch(800), 40);
    EXPECT_EQ(RateLedger::batch(40), 2);
    EXPECT_EQ(RateLedger::batch(10), 1);
    EXPECT_EQ(RateLedger::batch(1), 1);
}

}  // namespace
}  // namespace linnet::http
