// Hashers: no more run at once than allowed, a few wait, the rest are refused at once.
#include "auth/hashers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

namespace linnet::auth {
namespace {

using namespace std::chrono_literals;

TEST(Hashers, RunAtMostTheirNumberAtOnce) {
    Hashers h(2, 16);
    std::atomic<int> now{0}, most{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            h.run([&] {
                const int n = ++now;
                for (int seen = most.load(); n > seen && !most.compare_exchange_weak(seen, n);) {
                }
                std::this_thread::sleep_for(20ms);
                --now;
                return 0;
            });
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(most.load(), 2);
    // A hashing thread counts itself out just after it hands the last answer over.
    for (int i = 0; i < 1000 && h.running() > 0; ++i) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(h.running(), 0u);
    EXPECT_EQ(h.admitted(), 0u);
}

TEST(Hashers, RefuseAtOnceWhenTheQueueIsFull) {
    Hashers h(1, 1);
    std::promise<void> release;
    auto released = release.get_future().share();
    auto first = std::async(std::launch::async, [&] {
        return h.run([&] {
            released.wait();
            return 1;
        });
    });
    while (h.running() < 1) std::this_thread::yield();
    auto second = std::async(std::launch::async, [&] { return h.run([] { return 2; }); });
    while (h.admitted() < 2) std::this_thread::yield();
    EXPECT_THROW(h.run([] { return 3; }), HashersBusy);
    release.set_value();
    EXPECT_EQ(first.get(), 1);
    EXPECT_EQ(second.get(), 2);
    EXPECT_EQ(h.run([] { return 4; }), 4);
}

TEST(Hashers, ATicketHoldsItsPlaceUntilItGoesAway) {
    Hashers h(1, 1);
    {
        auto first = h.admit();
        auto second = h.admit();
        EXPECT_THROW(h.admit(), HashersBusy);
        EXPECT_EQ(first.run([] { return 1; }), 1);
        EXPECT_THROW(h.admit(), HashersBusy);  // a ticket that ran still holds its place
    }
    EXPECT_EQ(h.admitted(), 0u);
    EXPECT_EQ(h.run([] { return 2; }), 2);
}

TEST(Hashers, AnExceptionGivesTheTurnBack) {
    Hashers h(1, 0);
    EXPECT_THROW(h.run([]() -> int { throw std::runtime_error("out of memory"); }),
                 std::runtime_error);
    EXPECT_EQ(h.run([] { return 5; }), 5);
}

}  // namespace
}  // namespace linnet::auth
