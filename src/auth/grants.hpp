// What a restricted user may do: global grants (add_linodes, account_access, ...) and per-entity
// read_only/read_write permissions. Every check of a grant goes through these functions.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "auth/principal.hpp"
#include "store/database.hpp"

namespace linnet::auth {

// Ordered, so that a permission covers every weaker one.
enum class Permission { none, read_only, read_write };

// "read_only" / "read_write"; nullopt for anything else (a null permission is Permission::none).
std::optional<Permission> parse_permission(std::string_view text);
// The permission as the API writes it: null, "read_only" or "read_write".
boost::json::value permission_json(Permission permission);

// The global grants of a user, every field present (no row: nothing granted).
boost::json::object global_grants(store::Transaction& tx, std::int64_t user_id);
void save_global_grants(store::Transaction& tx, std::int64_t user_id,
                        const boost::json::object& global);

// A user's permission on one entity ("linode", "image", ...); none when nothing is granted.
Permission entity_permission(store::Transaction& tx, std::int64_t user_id,
                             std::string_view entity_type, std::int64_t entity_id);
void set_entity_permission(store::Transaction& tx, std::int64_t user_id,
                           std::string_view entity_type, std::int64_t entity_id,
                           Permission permission);

// 403 "Unauthorized" unless the caller is unrestricted or holds `need` on the Linode (404 when
// a restricted caller without the grant names no Linode at all).
void require_linode(store::Transaction& tx, const Principal& caller, std::int64_t linode_id,
                    Permission need);
// 403 unless the caller is unrestricted or holds the global grant `flag` (e.g. "add_linodes").
void require_global(store::Transaction& tx, const Principal& caller, std::string_view flag);
// 403 unless the caller is unrestricted or its account_access covers `need`.
void require_account(store::Transaction& tx, const Principal& caller, Permission need);
// 403 for a restricted caller: routes only unrestricted users may call.
void require_unrestricted(const Principal& caller);

// 403 unless the caller is unrestricted or holds `need` on the entity of `entity_type`; 404
// when a restricted caller without the grant names one that `exists` does not find.
void require_entity(store::Transaction& tx, const Principal& caller, std::string_view entity_type,
                    std::int64_t entity_id, Permission need, bool exists);

// An SQL condition on an entity's table (its column `id_column`) that holds for the entities
// of `entity_type` the caller may read, with its parameters.
std::pair<std::string, store::Params> visible_entities(const Principal& caller,
                                                       std::string_view entity_type,
                                                       std::string_view id_column = "id");

// An SQL condition on the linodes table (its column `id_column`) that holds for the Linodes the
// caller may read, with its parameters.
std::pair<std::string, store::Params> visible_linodes(const Principal& caller,
                                                      std::string_view id_column = "id");

// The same for the events table: a restricted caller sees the events of Linodes it may read.
std::pair<std::string, store::Params> visible_events(const Principal& caller);

// Gives a restricted creator read_write on what it just created; nothing for others.
void grant_creator(store::Transaction& tx, const Principal& caller, std::string_view entity_type,
                   std::int64_t entity_id);

}  // namespace linnet::auth
