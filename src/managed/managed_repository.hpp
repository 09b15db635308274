// Linode Managed's setup of an account: managed_contacts, managed_credentials (sealed by the
// vault), managed_keys (the account's key pair) and managed_linode_settings (each Linode's SSH
// access). Every statement on them lives in managed_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/listing.hpp"

namespace linnet::managed {

struct Contact {
    std::int64_t id = 0;
    std::string name;
    std::string email;
    std::optional<std::string> phone_primary;
    std::optional<std::string> phone_secondary;
    std::optional<std::string> group;
    std::string updated;
};

struct Credential {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string label;
    std::string sealed_username;
    std::string sealed_password;
    std::optional<std::string> last_decrypted;
};

struct LinodeSsh {
    std::int64_t linode_id = 0;
    bool access = true;
    std::optional<std::string> user;
    std::string ip = "any";
    std::optional<std::int64_t> port;
};

class ManagedRepository {
  public:
    explicit ManagedRepository(store::Transaction& tx) : tx_(tx) {}

    std::int64_t add_contact(const Contact& c);
    std::optional<Contact> find_contact(std::int64_t id);
    void save_contact(const Contact& c);
    void remove_contact(std::int64_t id);

    std::int64_t add_credential(const Credential& c);
    std::optional<Credential> find_credential(std::int64_t id);
    bool credential_label_taken(const std::string& label, std::int64_t except = 0);
    void save_credential(const Credential& c);
    void remove_credential(std::int64_t id);
    // Every credential of the account, by id.
    std::vector<Credential> credentials();

    // The account's public key, and its private key sealed; nothing before the first.
    std::optional<std::pair<std::string, std::string>> key();
    // Keeps the first key of the account (another request may have made one first).
    void add_key(const std::string& public_key, const std::string& sealed_private_key);

    // A Linode's SSH settings (the defaults until set).
    LinodeSsh linode_ssh(std::int64_t linode_id);
    void save_linode_ssh(const LinodeSsh& s);

    static store::Listing contact_listing();
    static store::Listing credential_listing();
    // Every Linode of the account with its SSH settings; `visible` narrows the Linodes.
    static store::Listing linode_listing(const std::pair<std::string, store::Params>& visible);

  private:
    store::Transaction& tx_;
};

std::string render(const Contact& c);
std::string render(const Credential& c);
std::string render(const LinodeSsh& s, const std::string& label, const std::string& group);

}  // namespace linnet::managed
