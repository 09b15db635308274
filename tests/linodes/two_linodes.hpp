// For tests of a Linode's parts: a user and two Linodes (ids 1 and 2, labels box-1 and box-2) in
// the test store's account.
#pragma once

#include <string>

#include "store/temp_store.hpp"

namespace linnet::linodes {

inline void add_two_linodes(store::TempStore& store) {
    store.tx().execute(
        "INSERT INTO users (id, account_id, username, email, profile, created) VALUES (1, ?, "
        "'u', 'u@example.com', '{}', '2026-01-01T00:00:00')",
        {store.account_id()});
    for (int id : {1, 2})
        store.tx().execute(
            "INSERT INTO linodes (id, account_id, user_id, label, region, type, status, created, "
            "updated) VALUES (?, ?, 1, ?, 'us-east', 'g6-nanode-1', 'offline', 'x', 'x')",
            {std::int64_t{id}, store.account_id(), "box-" + std::to_string(id)});
}

}  // namespace linnet::linodes
