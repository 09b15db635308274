// Events: rows and the /account/events documents rebuilt from them as they move on.
#include "jobs/event_repository.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/pagination.hpp"
#include "jobs/events.hpp"
#include "store/temp_store.hpp"

namespace linnet::jobs {
namespace {

namespace json = boost::json;

class EventRepositoryTest : public ::testing::Test {
  protected:
    EventRepositoryTest() : store_("event-repository") {
        clock::freeze(clock::TimePoint(std::chrono::seconds(1'800'000'000)));
    }
    ~EventRepositoryTest() override { clock::reset(); }
    store::Transaction& tx() { return store_.tx(); }
    json::object doc(std::int64_t id) {
        return json::parse(EventRepository(tx()).document(id).value()).as_object();
    }
    std::int64_t boot(std::int64_t linode, const std::string& label) {
        return record_event(tx(), {"linode_boot", linode_entity(linode, label), std::nullopt,
                                   "scheduled", 1, "alice", ""});
    }
    store::TempStore store_;
};

TEST_F(EventRepositoryTest, ANewEventKeepsItsDocument) {
    const auto id = boot(7, "web-1");
    auto d = doc(id);
    EXPECT_EQ(d.at("id").as_int64(), id);
    EXPECT_EQ(d.at("action").as_string(), "linode_boot");
    EXPECT_EQ(d.at("status").as_string(), "scheduled");
    EXPECT_EQ(d.at("percent_complete").as_int64(), 0);
    EXPECT_TRUE(d.at("duration").is_null());
    EXPECT_EQ(d.at("username").as_string(), "alice");
    EXPECT_EQ(d.at("created").as_string(), "2027-01-15T08:00:00");
    EXPECT_FALSE(d.at("seen").as_bool());
    const auto& entity = d.at("entity").as_object();
    EXPECT_EQ(entity.at("id").as_int64(), 7);
    EXPECT_EQ(entity.at("label").as_string(), "web-1");
    EXPECT_EQ(entity.at("url").as_string(), "/v4/linode/instances/7");
    EXPECT_TRUE(d.at("secondary_entity").is_null());
}

TEST_F(EventRepositoryTest, NotificationsAreDoneAtOnce) {
    const auto id =
        record_event(tx(), {"token_create", Entity{json::value(3), "token", "ci", ""},
                            linode_entity(9, "db-1"), "notification", 1, "alice", "made"});
    auto d = doc(id);
    EXPECT_TRUE(d.at("percent_complete").is_null());
    EXPECT_EQ(d.at("duration").as_double(), 0.0);
    EXPECT_EQ(d.at("message").as_string(), "made");
    EXPECT_EQ(d.at("entity").at("url").as_string(), "");
    EXPECT_EQ(d.at("secondary_entity").at("label").as_string(), "db-1");
}

TEST_F(EventRepositoryTest, UpdatesMoveTheEventOnAndEndingOnesGetADuration) {
    const auto id = boot(7, "web-1");
    clock::freeze(clock::TimePoint(std::chrono::milliseconds(1'800'000'000'000 + 2500)));
    update_event(tx(), id, "started", 50);
    auto started = EventRepository(tx()).find(id).value();
    EXPECT_EQ(started.status, "started");
    EXPECT_EQ(started.percent_complete, 50);
    EXPECT_FALSE(started.duration);
    update_event(tx(), id, "failed", std::nullopt, "no disk");
    auto d = doc(id);
    EXPECT_EQ(d.at("status").as_string(), "failed");
    EXPECT_EQ(d.at("percent_complete").as_int64(), 50);  // kept where not given
    EXPECT_EQ(d.at("message").as_string(), "no disk");
    EXPECT_DOUBLE_EQ(d.at("duration").as_double(), 2.5);
}

TEST_F(EventRepositoryTest, SeenMarksEveryEventUpToOneAndReadMarksOne) {
    const auto a = boot(1, "a"), b = boot(2, "b"), c = boot(3, "c");
    EventRepository repo(tx());
    repo.mark_seen_up_to(b);
    EXPECT_TRUE(doc(a).at("seen").as_bool());
    EXPECT_TRUE(doc(b).at("seen").as_bool());
    EXPECT_FALSE(doc(c).at("seen").as_bool());
    EXPECT_TRUE(repo.find(b)->seen);
    repo.mark_read(c);
    EXPECT_TRUE(doc(c).at("read").as_bool());
    EXPECT_FALSE(doc(b).at("read").as_bool());
    // Marking leaves the rest of the document as it was.
    EXPECT_EQ(doc(a).at("entity").at("label").as_string(), "a");
}

TEST_F(EventRepositoryTest, ListsNewestFirstWithinWhatTheCallerMaySee) {
    const auto a = boot(1, "a"), b = boot(2, "b");
    EventRepository repo(tx());
    auto page = store::read_page(tx(), repo.visible_to({}), {}, Page{1, 25});
    ASSERT_EQ(page.results, 2);
    EXPECT_EQ(json::parse(page.docs[0]).at("id").as_int64(), b);
    EXPECT_EQ(json::parse(page.docs[1]).at("id").as_int64(), a);
    const EventVisibility only_linode_1{"entity_id = ?", {std::int64_t{1}}};
    EXPECT_EQ(store::read_page(tx(), repo.visible_to(only_linode_1), {}, Page{1, 25}).results, 1);
    EXPECT_TRUE(repo.is_visible(a, only_linode_1));
    EXPECT_FALSE(repo.is_visible(b, only_linode_1));
    EXPECT_TRUE(repo.is_visible(b, {}));
    EXPECT_FALSE(repo.is_visible(b + 100, {}));
}

}  // namespace
}  // namespace linnet::jobs
