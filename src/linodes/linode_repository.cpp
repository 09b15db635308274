// Statements on the Linodes aggregate's tables.
#include "linodes/linode_repository.hpp"

namespace linnet::linodes {

namespace statements {
constexpr std::string_view exists = "SELECT 1 AS found FROM linodes WHERE id = ?";
constexpr std::string_view names = "SELECT id, label FROM linodes ORDER BY id";
constexpr std::string_view ids_with_status = "SELECT id FROM linodes WHERE status = ? ORDER BY id";
constexpr std::string_view reassign_owner = "UPDATE linodes SET user_id = ? WHERE user_id = ?";
}  // namespace statements

bool LinodeRepository::exists(std::int64_t id) {
    return !tx_.query(statements::exists, {id}).empty();
}

std::vector<LinodeName> LinodeRepository::names() {
    std::vector<LinodeName> out;
    for (const auto& row : tx_.query(statements::names))
        out.push_back({row.integer("id"), row.text("label")});
    return out;
}

std::vector<std::int64_t> LinodeRepository::ids_with_status(const std::string& status) {
    std::vector<std::int64_t> out;
    for (const auto& row : tx_.query(statements::ids_with_status, {status}))
        out.push_back(row.integer("id"));
    return out;
}

void LinodeRepository::reassign_owner(std::int64_t from_user, std::int64_t to_user) {
    tx_.execute(statements::reassign_owner, {to_user, from_user});
}

}  // namespace linnet::linodes
