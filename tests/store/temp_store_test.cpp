// The test store runs on the engine the run asks for, so the *_on_postgresql tests really do.
#include "store/temp_store.hpp"

#include <gtest/gtest.h>

namespace linnet::store {
namespace {

TEST(TempStoreEngine, FollowsLinnetTestPg) {
    TempStore store("engine");
    const char* pg = std::getenv("LINNET_TEST_PG");
    const bool on_postgresql = pg != nullptr && *pg != '\0';
    EXPECT_EQ(store.db().dialect(), on_postgresql ? Dialect::postgresql : Dialect::sqlite);
    EXPECT_EQ(store.tx().dialect(), store.db().dialect());
}

}  // namespace
}  // namespace linnet::store
