// Versioned schema migrations, applied in order at start, each in its own transaction.
#pragma once

#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::store {

struct Migration {
    int version;
    std::string name;
    // Portable SQL; "{{serial}}" becomes the dialect's auto-increment primary key; text between
    // "{{sqlite}}" (or "{{postgresql}}") and "{{end}}" runs on that engine only.
    std::string sql;
};

const std::vector<Migration>& migrations();
// Applies every migration newer than the database's version; answers how many it applied.
int migrate(Database& db);
// The same, stopping after version `up_to` (tests of a migration over an older schema's data).
int migrate(Database& db, int up_to);
// Applies the given migrations newer than the database's version, up to `up_to`, each in one
// transaction: a migration that fails leaves the schema and the version as they were.
int apply(Database& db, const std::vector<Migration>& list, int up_to);
int schema_version(Database& db);

}  // namespace linnet::store
