// Statements on linode_user_data and linode_deploy_keys.
#include "metadata/metadata_repository.hpp"

namespace linnet::metadata {

namespace statements {
constexpr std::string_view forget_user_data = "DELETE FROM linode_user_data WHERE linode_id = ?";
constexpr std::string_view forget_keys = "DELETE FROM linode_deploy_keys WHERE linode_id = ?";
constexpr std::string_view insert_user_data =
    "INSERT INTO linode_user_data (linode_id, user_data) VALUES (?, ?)";
constexpr std::string_view insert_key =
    "INSERT INTO linode_deploy_keys (linode_id, position, ssh_key) VALUES (?, ?, ?)";
constexpr std::string_view user_data = "SELECT user_data FROM linode_user_data WHERE linode_id = ?";
constexpr std::string_view keys =
    "SELECT ssh_key FROM linode_deploy_keys WHERE linode_id = ? ORDER BY position";
}  // namespace statements

void MetadataRepository::deploy(std::int64_t linode_id, const std::optional<std::string>& user_data,
                                const std::vector<std::string>& root_keys) {
    tx_.write(statements::forget_user_data, {linode_id});
    tx_.write(statements::forget_keys, {linode_id});
    deploy_new(linode_id, user_data, root_keys);
}

void MetadataRepository::deploy_new(std::int64_t linode_id,
                                    const std::optional<std::string>& user_data,
                                    const std::vector<std::string>& root_keys) {
    if (user_data) tx_.write(statements::insert_user_data, {linode_id, *user_data});
    std::int64_t position = 0;
    for (const auto& key : root_keys)
        tx_.write(statements::insert_key, {linode_id, position++, key});
}

void MetadataRepository::read_ahead_user_data(std::int64_t linode_id) {
    tx_.read_ahead(statements::user_data, {linode_id});
}

std::optional<std::string> MetadataRepository::user_data(std::int64_t linode_id) {
    auto rows = tx_.query(statements::user_data, {linode_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().text("user_data");
}

std::vector<std::string> MetadataRepository::root_keys(std::int64_t linode_id) {
    std::vector<std::string> out;
    for (const auto& row : tx_.query(statements::keys, {linode_id}))
        out.push_back(row.text("ssh_key"));
    return out;
}

}  // namespace linnet::metadata
