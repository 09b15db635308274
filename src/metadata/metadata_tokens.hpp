// Tokens of the Metadata service (PUT /v1/token): 64 lower-case hex characters, as Linode's,
// valid for one Linode until they expire. Nothing is stored: a token is its expiry (16 hex) and
// a MAC over the Linode and the expiry (48 hex) with a key kept in the data folder, so tokens
// outlive a restart of the host's linnetd.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

namespace linnet::metadata {

class TokenKey {
  public:
    // The key in `file`, made (0600) when there is none yet.
    static TokenKey load_or_create(const std::filesystem::path& file);
    explicit TokenKey(const std::array<unsigned char, 32>& bytes) : bytes_(bytes) {}

    std::string issue(std::int64_t linode_id, std::int64_t expires_unix) const;
    // Whether `token` is one this key issued for the Linode and it has not expired at `now`.
    bool accepts(const std::string& token, std::int64_t linode_id, std::int64_t now_unix) const;

  private:
    std::string mac(std::int64_t linode_id, std::uint64_t expires) const;
    std::array<unsigned char, 32> bytes_;
};

}  // namespace linnet::metadata
