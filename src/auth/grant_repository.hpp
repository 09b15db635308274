// The grants of restricted users (global_grants, entity_grants): every statement on them lives
// in grant_repository.cpp, including the conditions other lists use to show only granted rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/database.hpp"

namespace linnet::auth {

struct EntityGrantRow {
    std::int64_t entity_id = 0;
    std::string permissions;  // "read_only" or "read_write"
};

// An SQL condition and its parameters.
using Condition = std::pair<std::string, store::Params>;

class GrantRepository {
  public:
    explicit GrantRepository(store::Transaction& tx) : tx_(tx) {}
    // Every user's grant on the entity goes (it left the account).
    void forget_entity(std::string_view entity_type, std::int64_t entity_id);

    // The stored global grants document of a user; nullopt when none is stored.
    std::optional<std::string> global_doc(std::int64_t user_id);
    // Stores (inserts or replaces) the global grants document of a user.
    void save_global_doc(std::int64_t user_id, const std::string& doc);

    // The stored permission of a user on one entity; nullopt when nothing is granted.
    std::optional<std::string> entity_permission(std::int64_t user_id, std::string_view entity_type,
                                                 std::int64_t entity_id);
    // The user's grants on entities of one type, by entity id.
    std::vector<EntityGrantRow> entity_permissions(std::int64_t user_id,
                                                   std::string_view entity_type);
    // Stores (inserts or replaces) a permission.
    void set_entity_permission(std::int64_t user_id, std::string_view entity_type,
                               std::int64_t entity_id, const std::string& permissions);
    void remove_entity_permission(std::int64_t user_id, std::string_view entity_type,
                                  std::int64_t entity_id);

    // Forgets every grant of a user, global and per entity.
    void remove_all(std::int64_t user_id);

    // A condition that holds for every row.
    static Condition everything();
    // A condition on the linodes table (its column id_column) that holds for the Linodes on
    // which the user holds any grant.
    static Condition granted_linodes(std::int64_t user_id, std::string_view id_column);
    // The same for any entity's table: the entities of the type the user holds a grant on.
    static Condition granted(std::int64_t user_id, std::string_view entity_type,
                             std::string_view id_column);
    // The same for the events table: the events of Linodes and volumes on which the user holds
    // any grant.
    static Condition granted_events(std::int64_t user_id);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::auth
