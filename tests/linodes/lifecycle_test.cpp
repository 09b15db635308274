// The lifecycle table: the statuses a job's steps show, and which actions may start from which
// status (400 "Linode busy." while a job holds the Linode).
#include "linodes/lifecycle.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"

#include "core/error.hpp"

namespace linnet::linodes {
namespace {

namespace json = boost::json;

std::vector<std::string> statuses(std::string_view action, const json::object& payload) {
    std::vector<std::string> out;
    for (const auto& step : plan(action, payload)) out.push_back(step.status);
    return out;
}

using Statuses = std::vector<std::string>;

TEST(Lifecycle, CreateShowsProvisioningThenBooting) {
    EXPECT_EQ(statuses("linode_create", {{"booted", true}}), (Statuses{"provisioning", "booting"}));
    EXPECT_EQ(statuses("linode_create", {{"booted", false}}), (Statuses{"provisioning"}));
}

TEST(Lifecycle, RunningLinodesAreStoppedAndStartedAroundChanges) {
    EXPECT_EQ(statuses("linode_resize", {{"was_running", true}}),
              (Statuses{"resizing", "resizing", "booting"}));
    EXPECT_EQ(statuses("linode_resize", {{"was_running", false}}), (Statuses{"resizing"}));
    EXPECT_EQ(statuses("linode_rebuild", {{"was_running", true}, {"booted", false}}),
              (Statuses{"rebuilding", "rebuilding"}));
}

TEST(Lifecycle, PercentRisesStepByStep) {
    int last = 0;
    for (const auto& step : plan("linode_migrate", {{"was_running", true}})) {
        EXPECT_GT(step.percent, last);
        last = step.percent;
    }
    EXPECT_LT(last, 100);  // 100 is for the finished event
}

TEST(Lifecycle, UnknownActionsHaveNoPlan) {
    EXPECT_THROW(plan("linode_teleport", {}), std::out_of_range);
    EXPECT_THROW(action("linode_teleport"), std::out_of_range);
}

class CanStart : public ::testing::Test {
  protected:
    std::string refusal(std::int64_t linode, std::string_view status, std::string_view name) {
        try {
            check_can_start(tx_, linode, status, name);
        } catch (const ApiError& e) {
            EXPECT_EQ(e.status(), 400);
            return e.details().at(0).reason;
        }
        return "allowed";
    }
    store::TempStore store_{"lifecycle"};
    store::Transaction& tx_ = store_.tx();
};

TEST_F(CanStart, StatusRules) {
    EXPECT_EQ(refusal(1, "offline", "linode_boot"), "allowed");
    EXPECT_EQ(refusal(1, "running", "linode_shutdown"), "allowed");
    EXPECT_EQ(refusal(1, "offline", "linode_shutdown"), "Linode must be running for this action.");
    EXPECT_EQ(refusal(1, "running", "password_reset"), "Linode must be offline for this action.");
    EXPECT_EQ(refusal(1, "booting", "linode_reboot"), "Linode busy.");
    EXPECT_EQ(refusal(1, "booting", "linode_delete"), "allowed");
}

TEST_F(CanStart, AnActiveJobHoldsTheLinode) {
    tx_.execute(
        "INSERT INTO jobs (linode_id, action, state, step, run_after, payload, created) VALUES "
        "(7, 'linode_boot', 'active', 0, 0, '{}', '2026-01-01T00:00:00')");
    EXPECT_EQ(refusal(7, "offline", "linode_boot"), "Linode busy.");
    EXPECT_EQ(refusal(7, "offline", "linode_delete"), "allowed");
    EXPECT_EQ(refusal(8, "offline", "linode_boot"), "allowed");
}

}  // namespace
}  // namespace linnet::linodes
