// Rates from usage sums, and a sim Linode's generated usage.
#include "stats/series.hpp"

#include <gtest/gtest.h>

namespace linnet::stats {
namespace {

TEST(StatsDocument, RatesFromSums) {
    const auto doc = document({{600, 300, 30, 512 * 300 * 4, 0, 3000, 300}}, "t");
    const auto& cpu = doc.at("cpu").as_array();
    ASSERT_EQ(cpu.size(), 1u);
    EXPECT_EQ(cpu[0].as_array()[0].as_int64(), 600000);
    EXPECT_DOUBLE_EQ(cpu[0].as_array()[1].as_double(), 10.0);  // 30 CPU s over 300 s
    EXPECT_DOUBLE_EQ(doc.at("io").at("io").as_array()[0].as_array()[1].as_double(), 4.0);
    EXPECT_DOUBLE_EQ(doc.at("netv4").at("in").as_array()[0].as_array()[1].as_double(), 80.0);
    EXPECT_DOUBLE_EQ(doc.at("netv4").at("out").as_array()[0].as_array()[1].as_double(), 8.0);
    EXPECT_EQ(doc.at("netv6").at("in").as_array().size(), 1u);
    EXPECT_EQ(doc.at("title").as_string(), "t");
    // A step nothing observed is left out.
    EXPECT_TRUE(document({{900, 0, 0, 0, 0, 0, 0}}, "t").at("cpu").as_array().empty());
}

TEST(GeneratedUsage, StepsFromTheOneUnderWayAndTheSameEachTime) {
    const auto a = generated(7, 1000, 2000, 300);
    ASSERT_EQ(a.size(), 4u);  // 900, 1200, 1500, 1800
    EXPECT_EQ(a.front().at, 900);
    EXPECT_EQ(a.back().at, 1800);
    const auto b = generated(7, 1000, 2000, 300);
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_DOUBLE_EQ(a[i].cpu_seconds, b[i].cpu_seconds);
        EXPECT_GT(a[i].cpu_seconds, 0);
        EXPECT_LT(a[i].cpu_seconds, a[i].seconds);
        EXPECT_GT(a[i].net_out, 0);
    }
    EXPECT_NE(generated(8, 1000, 2000, 300)[0].cpu_seconds, a[0].cpu_seconds);
    EXPECT_TRUE(generated(7, 2000, 2000, 300).empty());
    const auto t = generated_transfer(7, 1000, 2000);
    EXPECT_GT(t.bytes_in, 0);
    EXPECT_GT(t.bytes_out, 0);
}

}  // namespace
}  // namespace linnet::stats
