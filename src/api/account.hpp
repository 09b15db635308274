// The account this installation serves and its settings.
#pragma once

#include "store/database.hpp"

namespace linnet::api {

// Creates the account row on a new installation; leaves an existing one alone.
void seed_account(store::Database& db);

}  // namespace linnet::api
