// Secrets of Linode Managed at rest: each is sealed (libsodium's secretbox, XSalsa20-Poly1305)
// with the vault's key, a file of 32 random bytes made on first use (mode 0600) in the shared
// folder, so that every API node of a cluster opens what another sealed. A database without the
// key file holds nothing readable.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>

namespace linnet::managed {

class Vault {
  public:
    // The key of `file`, made (once, whichever process is first) when it does not exist and
    // `create`; otherwise a missing key is an error (std::runtime_error).
    static Vault open(const std::filesystem::path& file, bool create = true);

    // Base64 of a fresh nonce and the sealed text.
    std::string seal(const std::string& plain) const;
    // Nothing when the text was not sealed with this key (or was altered).
    std::optional<std::string> open_sealed(const std::string& sealed) const;

  private:
    explicit Vault(const std::array<unsigned char, 32>& key) : key_(key) {}
    std::array<unsigned char, 32> key_;
};

struct KeyPair {
    std::string public_key;   // "ssh-ed25519 AAAA... comment"
    std::string private_key;  // the 64 secret bytes, in base64
};

// A new Ed25519 key pair, its public half in OpenSSH's one-line form.
KeyPair ssh_key_pair(const std::string& comment);

}  // namespace linnet::managed
