// What a Linode was deployed with that its Metadata service answers: its user data and root's
// SSH keys. A deployment (create, rebuild, clone) replaces both; statements on linode_user_data
// and linode_deploy_keys live in metadata_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::metadata {

class MetadataRepository {
  public:
    explicit MetadataRepository(store::Transaction& tx) : tx_(tx) {}

    // Replaces what the Linode was deployed with (no user data: none kept).
    void deploy(std::int64_t linode_id, const std::optional<std::string>& user_data,
                const std::vector<std::string>& root_keys);
    // What a new Linode is deployed with: deploy() with nothing to replace.
    void deploy_new(std::int64_t linode_id, const std::optional<std::string>& user_data,
                    const std::vector<std::string>& root_keys);
    // The user data as it was given (base64), when there is some.
    std::optional<std::string> user_data(std::int64_t linode_id);
    // Announces user_data's read (Transaction::read_ahead).
    void read_ahead_user_data(std::int64_t linode_id);
    std::vector<std::string> root_keys(std::int64_t linode_id);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::metadata
