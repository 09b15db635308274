// What a finished job leaves behind (statuses, disks, types, regions, deleted rows), and what a
// failed one falls back to, so that no Linode stays in a transient status.
#pragma once

#include "jobs/jobs.hpp"
#include "store/database.hpp"

namespace linnet::linodes {

void complete(store::Transaction& tx, const jobs::Job& job);
void abandon(store::Transaction& tx, const jobs::Job& job);

}  // namespace linnet::linodes
