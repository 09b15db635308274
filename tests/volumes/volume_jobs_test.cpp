// A volume's jobs: the status each one shows while it runs and what it leaves when it ends or
// fails, on the store.
#include "volumes/volume_jobs.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"
#include "volumes/volume_repository.hpp"

namespace linnet::volumes {
namespace {

class VolumeJobsTest : public ::testing::Test {
  protected:
    store::TempStore store_{"volume-jobs"};
    store::Transaction& tx_ = store_.tx();
    VolumeRepository volumes_{tx_};
    VolumeJobs kind_;

    std::int64_t make(std::int64_t size = 20) {
        Volume v;
        v.label = "v" + std::to_string(++serial_);
        v.region = "us-east";
        v.size = size;
        return volumes_.insert(v);
    }
    jobs::Job job(const std::string& action, std::int64_t volume_id,
                  boost::json::object payload = {}) {
        jobs::Job j;
        j.action = action;
        payload["volume_id"] = volume_id;
        j.payload = std::move(payload);
        return j;
    }
    int serial_ = 0;
};

TEST_F(VolumeJobsTest, EachActionHasItsStep) {
    EXPECT_EQ(kind_.plan("volume_create", {}).at(0).status, "creating");
    EXPECT_EQ(kind_.plan("volume_resize", {}).at(0).status, "resizing");
    EXPECT_EQ(kind_.plan("volume_clone", {}).at(0).op, compute::Operation::volume_clone);
    EXPECT_EQ(kind_.plan("volume_attach", {}).at(0).status, "");
    EXPECT_THROW(kind_.plan("volume_fly", {}), std::out_of_range);
}

TEST_F(VolumeJobsTest, CreateEndsActiveAndAFailedOneGoes) {
    const auto made = make();
    kind_.complete(tx_, job("volume_create", made));
    EXPECT_EQ(volumes_.find(made)->status, "active");
    const auto failed = make();
    kind_.abandon(tx_, job("volume_create", failed));
    EXPECT_FALSE(volumes_.find(failed));
}

TEST_F(VolumeJobsTest, AFailedResizeKeepsTheOldSize) {
    const auto id = make(20);
    auto v = volumes_.find(id).value();
    v.size = 40;
    v.status = "resizing";
    volumes_.save(v);
    kind_.abandon(tx_, job("volume_resize", id, {{"old_size", 20}}));
    EXPECT_EQ(volumes_.find(id)->size, 20);
    EXPECT_EQ(volumes_.find(id)->status, "active");
}

TEST_F(VolumeJobsTest, TheMachineOfADeletedVolumeComesFromItsJob) {
    auto m = kind_.machine(tx_, job("volume_delete", 424242, {{"size", 30}, {"label", "gone"}}),
                           compute::MachineDetail::whole);
    EXPECT_EQ(m.volume.id, 424242);
    EXPECT_EQ(m.volume.size_gb, 30);
    EXPECT_EQ(m.volume.label, "gone");
}

}  // namespace
}  // namespace linnet::volumes
