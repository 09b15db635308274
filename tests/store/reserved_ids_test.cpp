// Ids set aside ahead of their inserts: distinct, taken once each, past by the key's own
// inserts; none on SQLite, where the insert answers its id.
#include "store/reserved_ids.hpp"

#include <gtest/gtest.h>

#include "store/temp_store.hpp"

namespace linnet::store {
namespace {

TEST(TransactionOnStoreReservedIds, IdsSetAsideAreTakenOnceAndTheKeyMovesPastThem) {
    TempStore store("reserved-ids");
    store.finish();
    auto tx = store.db().begin(Access::write);
    tx->set_scope(Scope::system());
    reserve_ids(*tx, "accounts", 2);
    const std::string add =
        "INSERT INTO accounts (doc, settings, created) VALUES ('{}', '{}', "
        "'2026-01-01T00:00:00') RETURNING id";
    const auto before = tx->query(add).at(0).integer("id");
    const auto first = reserved_id(*tx, "accounts");
    const auto second = reserved_id(*tx, "accounts");
    if (store.db().dialect() == Dialect::sqlite) {
        EXPECT_FALSE(first);
        return;
    }
    ASSERT_TRUE(first && second);
    EXPECT_FALSE(reserved_id(*tx, "accounts"));
    EXPECT_NE(*first, *second);
    EXPECT_NE(*first, before);
    EXPECT_NE(*second, before);
    EXPECT_GT(tx->query(add).at(0).integer("id"), std::max(*first, *second));
    for (auto id : {*first, *second})
        tx->execute(
            "INSERT INTO accounts (id, doc, settings, created) VALUES (?, '{}', '{}', "
            "'2026-01-01T00:00:00')",
            {id});
    tx->commit();
}

}  // namespace
}  // namespace linnet::store
