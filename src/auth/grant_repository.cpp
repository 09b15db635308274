// Statements on global_grants and entity_grants.
#include "auth/grant_repository.hpp"

namespace linnet::auth {

namespace statements {
constexpr std::string_view global_doc = "SELECT doc FROM global_grants WHERE user_id = ?";
constexpr std::string_view save_global_doc =
    "INSERT INTO global_grants (user_id, doc) VALUES (?, ?) "
    "ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc";
constexpr std::string_view entity_permission =
    "SELECT entity_id, permissions FROM entity_grants WHERE user_id = ? AND entity_type = ? AND "
    "entity_id = ?";
constexpr std::string_view entity_permissions =
    "SELECT entity_id, permissions FROM entity_grants WHERE user_id = ? AND entity_type = ? "
    "ORDER BY entity_id";
constexpr std::string_view set_entity_permission =
    "INSERT INTO entity_grants (user_id, entity_type, entity_id, permissions) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (user_id, entity_type, entity_id) "
    "DO UPDATE SET permissions = excluded.permissions";
constexpr std::string_view remove_entity_permission =
    "DELETE FROM entity_grants WHERE user_id = ? AND entity_type = ? AND entity_id = ?";
constexpr std::string_view remove_global = "DELETE FROM global_grants WHERE user_id = ?";
constexpr std::string_view remove_entities = "DELETE FROM entity_grants WHERE user_id = ?";
constexpr std::string_view everything = "1=1";
constexpr std::string_view granted_linodes =
    " IN (SELECT entity_id FROM entity_grants WHERE user_id = ? AND entity_type = 'linode')";
constexpr std::string_view granted =
    " IN (SELECT entity_id FROM entity_grants WHERE user_id = ? AND entity_type = ?)";
constexpr std::string_view granted_events =
    "((entity_type = 'linode' AND entity_id IN (SELECT entity_id FROM entity_grants WHERE "
    "user_id = ? AND entity_type = 'linode')) OR (entity_type = 'volume' AND entity_id IN "
    "(SELECT entity_id FROM entity_grants WHERE user_id = ? AND entity_type = 'volume')) OR "
    "(entity_type = 'stackscript' AND entity_id IN (SELECT entity_id FROM entity_grants WHERE "
    "user_id = ? AND entity_type = 'stackscript')) OR (entity_type = 'firewall' AND entity_id IN "
    "(SELECT entity_id FROM entity_grants WHERE user_id = ? AND entity_type = 'firewall')) OR "
    "(entity_type = 'placement_group' AND entity_id IN (SELECT entity_id FROM entity_grants "
    "WHERE user_id = ? AND entity_type = 'placement_group')) OR (entity_type = 'nodebalancer' "
    "AND entity_id IN (SELECT entity_id FROM entity_grants WHERE user_id = ? AND entity_type = "
    "'nodebalancer')) OR (entity_type = 'domain' AND entity_id IN (SELECT entity_id FROM "
    "entity_grants WHERE user_id = ? AND entity_type = 'domain')) OR (entity_type = 'vpc' AND "
    "entity_id IN (SELECT entity_id FROM entity_grants WHERE user_id = ? AND entity_type = "
    "'vpc')) OR (entity_type = 'longviewclient' AND entity_id IN (SELECT entity_id FROM "
    "entity_grants WHERE user_id = ? AND entity_type = 'longview')))";

constexpr std::string_view forget_entity =
    "DELETE FROM entity_grants WHERE entity_type = ? AND entity_id = ?";
}  // namespace statements

namespace {

EntityGrantRow from_row(const store::Row& row) {
    return {row.integer("entity_id"), row.text("permissions")};
}

}  // namespace

std::optional<std::string> GrantRepository::global_doc(std::int64_t user_id) {
    auto rows = tx_.query(statements::global_doc, {user_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().text("doc");
}

void GrantRepository::save_global_doc(std::int64_t user_id, const std::string& doc) {
    tx_.execute(statements::save_global_doc, {user_id, doc});
}

std::optional<std::string> GrantRepository::entity_permission(std::int64_t user_id,
                                                              std::string_view entity_type,
                                                              std::int64_t entity_id) {
    auto rows =
        tx_.query(statements::entity_permission, {user_id, std::string(entity_type), entity_id});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front()).permissions;
}

std::vector<EntityGrantRow> GrantRepository::entity_permissions(std::int64_t user_id,
                                                                std::string_view entity_type) {
    std::vector<EntityGrantRow> out;
    for (const auto& row :
         tx_.query(statements::entity_permissions, {user_id, std::string(entity_type)}))
        out.push_back(from_row(row));
    return out;
}

void GrantRepository::set_entity_permission(std::int64_t user_id, std::string_view entity_type,
                                            std::int64_t entity_id,
                                            const std::string& permissions) {
    tx_.execute(statements::set_entity_permission,
                {user_id, std::string(entity_type), entity_id, permissions});
}

void GrantRepository::remove_entity_permission(std::int64_t user_id, std::string_view entity_type,
                                               std::int64_t entity_id) {
    tx_.execute(statements::remove_entity_permission,
                {user_id, std::string(entity_type), entity_id});
}

void GrantRepository::remove_all(std::int64_t user_id) {
    tx_.execute(statements::remove_global, {user_id});
    tx_.execute(statements::remove_entities, {user_id});
}

Condition GrantRepository::everything() {
    return {std::string(statements::everything), {}};
}

Condition GrantRepository::granted_linodes(std::int64_t user_id, std::string_view id_column) {
    return {std::string(id_column) + std::string(statements::granted_linodes), {user_id}};
}

Condition GrantRepository::granted(std::int64_t user_id, std::string_view entity_type,
                                   std::string_view id_column) {
    return {std::string(id_column) + std::string(statements::granted),
            {user_id, std::string(entity_type)}};
}

Condition GrantRepository::granted_events(std::int64_t user_id) {
    return {std::string(statements::granted_events),
            {user_id, user_id, user_id, user_id, user_id, user_id, user_id, user_id, user_id}};
}

void GrantRepository::forget_entity(std::string_view entity_type, std::int64_t entity_id) {
    tx_.execute(statements::forget_entity, {std::string(entity_type), entity_id});
}

}  // namespace linnet::auth
