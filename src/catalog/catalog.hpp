// The public catalog: regions, Linode types, kernels, public images and region availability,
// compiled into linnetd from data/catalog and loaded into the store at start.
#pragma once

#include "store/database.hpp"

namespace linnet::catalog {

// Inserts or refreshes every catalog row; safe to run at every start and from several processes.
void seed(store::Database& db);

// The same within a transaction the caller commits.
void load(store::Transaction& tx);

}  // namespace linnet::catalog
