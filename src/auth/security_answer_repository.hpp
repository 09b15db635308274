// A user's answers to security questions (/profile/security-questions): the security_answers
// table, one row per answered question, each answer kept only as a password hash.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/database.hpp"

namespace linnet::auth {

class SecurityAnswerRepository {
  public:
    explicit SecurityAnswerRepository(store::Transaction& tx) : tx_(tx) {}

    // The questions a user of the transaction's account has answered.
    std::set<std::int64_t> answered(std::int64_t user_id);
    // Replaces every answer of the user with these (question id, answer hash) pairs.
    void replace(std::int64_t user_id,
                 const std::vector<std::pair<std::int64_t, std::string>>& answers);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::auth
