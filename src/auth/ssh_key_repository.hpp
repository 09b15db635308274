// A user's SSH public keys (/profile/sshkeys): the ssh_keys table, each key its user's. A create
// or rebuild that names users in authorized_users installs their keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/listing.hpp"

namespace linnet::auth {

struct SshKey {
    std::int64_t id = 0;
    std::string label;
    std::string ssh_key;
    std::string created;
};

class SshKeyRepository {
  public:
    explicit SshKeyRepository(store::Transaction& tx) : tx_(tx) {}

    // Answers the new key's id.
    std::int64_t insert(std::int64_t user_id, const std::string& label, const std::string& key,
                        const std::string& created);
    std::optional<SshKey> find(std::int64_t user_id, std::int64_t id);
    void rename(std::int64_t user_id, std::int64_t id, const std::string& label);
    void remove(std::int64_t user_id, std::int64_t id);
    // Every key of a user of the transaction's account, oldest first.
    std::vector<std::string> keys_of(std::int64_t user_id);

    // The keys of one user.
    static store::Listing of_user(std::int64_t user_id);

  private:
    store::Transaction& tx_;
};

// The key as GET answers it.
std::string render(const SshKey& key);

// Why `key` is not an SSH public key this server installs ("TYPE BASE64 [COMMENT]" of a known
// type), or nothing.
std::optional<std::string> ssh_key_problem(const std::string& key);

}  // namespace linnet::auth
