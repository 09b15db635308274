// Users' phone numbers (user_phones): the verified number, and a number waiting for the code
// sent to it. Every statement on the table lives in phone_repository.cpp; each reads only users
// of the scope's account.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace linnet::auth {

struct Phone {
    std::int64_t user_id = 0;
    std::optional<std::string> verified_number;  // E.164
    std::optional<std::string> pending_number;
    std::optional<std::string> code;
    std::int64_t code_expiry_unix = 0;
    std::int64_t attempts = 0;  // wrong codes given for the pending number
};

class PhoneRepository {
  public:
    explicit PhoneRepository(store::Transaction& tx) : tx_(tx) {}

    // The user's row (an empty one when it has none), locked on engines that lock rows.
    Phone find(std::int64_t user_id);
    void save(const Phone& p);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::auth
