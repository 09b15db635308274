// Sign-ins through the login service, successful and failed, as /account/logins and
// /profile/logins list them: the logins table. A failed sign-in is recorded when its username
// names a user (whose account it then belongs to); one for a name nobody has belongs to no
// account and is only throttled.
#pragma once

#include <cstdint>
#include <string>

#include "store/database.hpp"
#include "store/listing.hpp"

namespace linnet::auth {

struct LoginRecord {
    std::int64_t account_id = 0;
    std::int64_t user_id = 0;
    std::string username;
    std::string ip;
    std::string datetime;
    bool successful = false;
    bool restricted = false;
};

class LoginHistoryRepository {
  public:
    explicit LoginHistoryRepository(store::Transaction& tx) : tx_(tx) {}

    void record(const LoginRecord& login);

    // Every login of the account's users, newest last by id.
    static store::Listing of_account();
    // The logins of one user.
    static store::Listing of_user(std::int64_t user_id);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::auth
