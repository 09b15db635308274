// Statements on the duties table.
#include "hosts/duty_repository.hpp"

namespace linnet::hosts {

namespace statements {
constexpr std::string_view hold =
    "INSERT INTO duties (name, holder, lease_until) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE "
    "SET holder = excluded.holder, lease_until = excluded.lease_until WHERE duties.holder = "
    "excluded.holder OR duties.lease_until < ?";
constexpr std::string_view give_up = "DELETE FROM duties WHERE name = ? AND holder = ?";
}  // namespace statements

bool DutyRepository::hold(const std::string& duty, const std::string& holder, std::int64_t now_ms,
                          std::int64_t lease_until_ms) {
    return tx_.execute(statements::hold, {duty, holder, lease_until_ms, now_ms}) == 1;
}

void DutyRepository::give_up(const std::string& duty, const std::string& holder) {
    tx_.execute(statements::give_up, {duty, holder});
}

}  // namespace linnet::hosts
