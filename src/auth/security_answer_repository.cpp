// Statements on security_answers.
#include "auth/security_answer_repository.hpp"

#include "store/scoped.hpp"

namespace linnet::auth {

namespace statements {
constexpr std::string_view answered =
    "SELECT a.question_id AS question_id FROM security_answers a JOIN users u ON u.id = "
    "a.user_id WHERE a.user_id = ? AND {{account:u.account_id}} ORDER BY a.question_id";
constexpr std::string_view clear =
    "DELETE FROM security_answers WHERE user_id IN (SELECT id FROM users WHERE id = ? AND "
    "{{account}})";
constexpr std::string_view insert =
    "INSERT INTO security_answers (user_id, question_id, answer_hash) SELECT id, ?, ? FROM users "
    "WHERE id = ? AND {{account}}";
}  // namespace statements

std::set<std::int64_t> SecurityAnswerRepository::answered(std::int64_t user_id) {
    std::set<std::int64_t> out;
    for (const auto& row : store::scoped_query(tx_, statements::answered, {user_id}))
        out.insert(row.integer("question_id"));
    return out;
}

void SecurityAnswerRepository::replace(
    std::int64_t user_id, const std::vector<std::pair<std::int64_t, std::string>>& answers) {
    store::scoped_execute(tx_, statements::clear, {user_id});
    for (const auto& [question, hash] : answers)
        store::scoped_execute(tx_, statements::insert, {question, hash, user_id});
}

}  // namespace linnet::auth
