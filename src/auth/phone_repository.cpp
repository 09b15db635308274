// Statements on user_phones.
#include "auth/phone_repository.hpp"

#include "store/scoped.hpp"

namespace linnet::auth {

namespace statements {
constexpr std::string_view find =
    "SELECT p.verified_number, p.pending_number, p.code, p.code_expiry_unix, p.attempts FROM "
    "user_phones p JOIN users u ON u.id = p.user_id WHERE p.user_id = ? AND "
    "{{account:u.account_id}}";
constexpr std::string_view save =
    "INSERT INTO user_phones (user_id, verified_number, pending_number, code, code_expiry_unix, "
    "attempts) SELECT id, ?, ?, ?, ?, ? FROM users WHERE id = ? AND {{account}} ON CONFLICT "
    "(user_id) DO UPDATE SET verified_number = excluded.verified_number, pending_number = "
    "excluded.pending_number, code = excluded.code, code_expiry_unix = excluded.code_expiry_unix, "
    "attempts = excluded.attempts";
}  // namespace statements

Phone PhoneRepository::find(std::int64_t user_id) {
    auto rows = store::scoped_query(tx_, store::locking(tx_, statements::find, " OF p"), {user_id});
    Phone p;
    p.user_id = user_id;
    if (rows.empty()) return p;
    const auto& r = rows.front();
    p.verified_number = r.optional_text("verified_number");
    p.pending_number = r.optional_text("pending_number");
    p.code = r.optional_text("code");
    p.code_expiry_unix = r.integer("code_expiry_unix");
    p.attempts = r.integer("attempts");
    return p;
}

void PhoneRepository::save(const Phone& p) {
    store::scoped_execute(tx_, statements::save,
                          {store::or_null(p.verified_number), store::or_null(p.pending_number),
                           store::or_null(p.code), p.code_expiry_unix, p.attempts, p.user_id});
}

}  // namespace linnet::auth
