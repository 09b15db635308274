// Two-factor sign-in's tables: user_two_factor (a user's TOTP secret, one awaiting
// confirmation, the scratch code's hash, the last step a code was taken at) and trusted_devices
// (the browsers that skip the code; the cookie holds a random token, the store its SHA-256
// hash). Every statement on them lives in two_factor_repository.cpp; each reads only users of
// the scope's account (all of them in the system scope of the sign-in).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/listing.hpp"

namespace linnet::auth {

struct TwoFactor {
    std::int64_t user_id = 0;
    std::optional<std::string> secret;  // enabled when set
    std::optional<std::string> pending_secret;
    std::int64_t pending_expiry_unix = 0;
    std::optional<std::string> scratch_hash;
    std::int64_t last_step = 0;
};

struct TrustedDevice {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string user_agent;
    std::string last_remote_addr;
    std::string created;
    std::string last_authenticated;
    std::string expiry;
    std::int64_t expiry_unix = 0;
};

class TwoFactorRepository {
  public:
    explicit TwoFactorRepository(store::Transaction& tx) : tx_(tx) {}

    // The user's row (an empty one when it has none), locked on engines that lock rows, so
    // that a code is taken once.
    TwoFactor find(std::int64_t user_id);
    void save(const TwoFactor& t);
    bool enabled(std::int64_t user_id);

    std::int64_t add_device(const TrustedDevice& d, const std::string& token_hash);
    // The device the token names, still trusted at `now_unix`.
    std::optional<TrustedDevice> device_by_token(const std::string& token_hash,
                                                 std::int64_t now_unix);
    std::optional<TrustedDevice> device(std::int64_t user_id, std::int64_t id);
    void touch_device(std::int64_t id, const std::string& when, const std::string& address);
    void remove_device(std::int64_t user_id, std::int64_t id);
    void remove_devices_of(std::int64_t user_id);

    // The user's devices still trusted at `now_unix`.
    static store::Listing device_listing(std::int64_t user_id, std::int64_t now_unix);

  private:
    store::Transaction& tx_;
};

std::string render(const TrustedDevice& d);

}  // namespace linnet::auth
