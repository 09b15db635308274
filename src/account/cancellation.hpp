// Cancelling an account (POST /account/cancel). The request closes the account's billing period
// now and settles its balance (charged to the default card, which Linnet records; with no card
// an outstanding balance is a 409), marks the account cancelled, which ends its tokens and
// sign-ins at once, and starts deleting its Linodes. The worker that watches hosts then finishes
// the work: it deletes what is left of Linodes and volumes through their own jobs (so that their
// machines and disks go too) and, once nothing of the account runs, erases every row of it.
// Nothing of another account is touched.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::account {

struct Canceller {
    std::int64_t user_id = 0;
    std::string username;
};

// Cancels the transaction's account; answers the folders of its files (images, backups,
// ticket attachments) under `shared`, for the caller to remove once this commits.
std::vector<std::filesystem::path> cancel(store::Transaction& tx, const Canceller& by,
                                          const std::filesystem::path& shared);

struct TearDown {
    int accounts = 0;  // cancelled accounts still there at the start of the round
    int erased = 0;    // of them, those erased in it
    int started = 0;   // deletions of Linodes and volumes it started (jobs to run)
};

// One round of the teardown of every cancelled account (system scope).
TearDown tear_down(store::Transaction& tx);

}  // namespace linnet::account
