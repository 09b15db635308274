// Statements on logins.
#include "auth/login_history_repository.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"

namespace linnet::auth {

namespace {

constexpr std::string_view kRecord =
    "INSERT INTO logins (account_id, user_id, username, ip, datetime, status, restricted) VALUES "
    "(?, ?, ?, ?, ?, ?, ?)";

const filter::Schema kLogins{{}, "id"};

store::Listing listing(std::string visible, store::Params params) {
    store::Listing l{"logins", kLogins, std::move(visible), std::move(params)};
    l.columns = "id, username, ip, datetime, status, restricted";
    l.render = [](const store::Row& r) {
        return to_json(boost::json::object{{"id", r.integer("id")},
                                           {"username", r.text("username")},
                                           {"ip", r.text("ip")},
                                           {"datetime", r.text("datetime")},
                                           {"status", r.text("status")},
                                           {"restricted", r.boolean("restricted")}});
    };
    return l;
}

}  // namespace

void LoginHistoryRepository::record(const LoginRecord& l) {
    tx_.execute(kRecord, {l.account_id, l.user_id, l.username, l.ip, l.datetime,
                          std::string(l.successful ? "successful" : "failed"),
                          static_cast<std::int64_t>(l.restricted)});
}

store::Listing LoginHistoryRepository::of_account() {
    return listing("{{account}}", {});
}

store::Listing LoginHistoryRepository::of_user(std::int64_t user_id) {
    return listing("{{account}} AND user_id = ?", {user_id});
}

}  // namespace linnet::auth
