// Statements on user_two_factor and trusted_devices.
#include "auth/two_factor_repository.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::auth {

namespace statements {
constexpr std::string_view find =
    "SELECT t.user_id, t.secret, t.pending_secret, t.pending_expiry_unix, t.scratch_hash, "
    "t.last_step FROM user_two_factor t JOIN users u ON u.id = t.user_id WHERE t.user_id = ? AND "
    "{{account:u.account_id}}";
constexpr std::string_view insert =
    "INSERT INTO user_two_factor (user_id, secret, pending_secret, pending_expiry_unix, "
    "scratch_hash, last_step) SELECT id, ?, ?, ?, ?, ? FROM users WHERE id = ? AND {{account}} "
    "ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, pending_secret = "
    "excluded.pending_secret, pending_expiry_unix = excluded.pending_expiry_unix, scratch_hash = "
    "excluded.scratch_hash, last_step = excluded.last_step";
constexpr std::string_view enabled =
    "SELECT 1 AS found FROM user_two_factor t JOIN users u ON u.id = t.user_id WHERE t.user_id = "
    "? AND t.secret IS NOT NULL AND {{account:u.account_id}}";
constexpr std::string_view device_columns =
    "d.id, d.user_id, d.user_agent, d.last_remote_addr, d.created, d.last_authenticated, "
    "d.expiry, d.expiry_unix";
constexpr std::string_view add_device =
    "INSERT INTO trusted_devices (user_id, token_hash, user_agent, last_remote_addr, created, "
    "last_authenticated, expiry, expiry_unix) SELECT id, ?, ?, ?, ?, ?, ?, ? FROM users WHERE id "
    "= ? AND {{account}} RETURNING id";
const std::string device_by_token =
    "SELECT " + std::string(device_columns) +
    " FROM trusted_devices d JOIN users u ON u.id = d.user_id WHERE d.token_hash = ? AND "
    "d.expiry_unix > ? AND {{account:u.account_id}}";
const std::string device =
    "SELECT " + std::string(device_columns) +
    " FROM trusted_devices d JOIN users u ON u.id = d.user_id WHERE d.user_id = ? AND d.id = ? "
    "AND {{account:u.account_id}}";
constexpr std::string_view touch_device =
    "UPDATE trusted_devices SET last_authenticated = ?, last_remote_addr = ? WHERE id = ?";
constexpr std::string_view remove_device =
    "DELETE FROM trusted_devices WHERE user_id = ? AND id = ? AND user_id IN (SELECT id FROM "
    "users WHERE {{account}})";
constexpr std::string_view remove_devices_of =
    "DELETE FROM trusted_devices WHERE user_id = ? AND user_id IN (SELECT id FROM users WHERE "
    "{{account}})";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kDevices{{}, "id"};

TrustedDevice device_from_row(const store::Row& r) {
    TrustedDevice d;
    d.id = r.integer("id");
    d.user_id = r.integer("user_id");
    d.user_agent = r.text("user_agent");
    d.last_remote_addr = r.text("last_remote_addr");
    d.created = r.text("created");
    d.last_authenticated = r.text("last_authenticated");
    d.expiry = r.text("expiry");
    d.expiry_unix = r.integer("expiry_unix");
    return d;
}

store::SqlValue text_or_null(const std::optional<std::string>& v) {
    return v ? store::SqlValue(*v) : store::SqlValue();
}

}  // namespace

TwoFactor TwoFactorRepository::find(std::int64_t user_id) {
    auto rows = store::scoped_query(tx_, store::locking(tx_, statements::find, " OF t"), {user_id});
    TwoFactor t;
    t.user_id = user_id;
    if (rows.empty()) return t;
    const auto& r = rows.front();
    t.secret = r.optional_text("secret");
    t.pending_secret = r.optional_text("pending_secret");
    t.pending_expiry_unix = r.optional_integer("pending_expiry_unix").value_or(0);
    t.scratch_hash = r.optional_text("scratch_hash");
    t.last_step = r.integer("last_step");
    return t;
}

void TwoFactorRepository::save(const TwoFactor& t) {
    store::scoped_execute(
        tx_, statements::insert,
        {text_or_null(t.secret), text_or_null(t.pending_secret), t.pending_expiry_unix,
         text_or_null(t.scratch_hash), t.last_step, t.user_id});
}

bool TwoFactorRepository::enabled(std::int64_t user_id) {
    return !store::scoped_query(tx_, statements::enabled, {user_id}).empty();
}

std::int64_t TwoFactorRepository::add_device(const TrustedDevice& d,
                                             const std::string& token_hash) {
    return store::scoped_query(tx_, statements::add_device,
                               {token_hash, d.user_agent, d.last_remote_addr, d.created,
                                d.last_authenticated, d.expiry, d.expiry_unix, d.user_id})
        .at(0)
        .integer("id");
}

std::optional<TrustedDevice> TwoFactorRepository::device_by_token(const std::string& token_hash,
                                                                  std::int64_t now_unix) {
    auto rows = store::scoped_query(tx_, statements::device_by_token, {token_hash, now_unix});
    if (rows.empty()) return std::nullopt;
    return device_from_row(rows.front());
}

std::optional<TrustedDevice> TwoFactorRepository::device(std::int64_t user_id, std::int64_t id) {
    auto rows = store::scoped_query(tx_, statements::device, {user_id, id});
    if (rows.empty()) return std::nullopt;
    return device_from_row(rows.front());
}

void TwoFactorRepository::touch_device(std::int64_t id, const std::string& when,
                                       const std::string& address) {
    tx_.execute(statements::touch_device, {when, address, id});
}

void TwoFactorRepository::remove_device(std::int64_t user_id, std::int64_t id) {
    store::scoped_execute(tx_, statements::remove_device, {user_id, id});
}

void TwoFactorRepository::remove_devices_of(std::int64_t user_id) {
    store::scoped_execute(tx_, statements::remove_devices_of, {user_id});
}

store::Listing TwoFactorRepository::device_listing(std::int64_t user_id, std::int64_t now_unix) {
    store::Listing l{"trusted_devices",
                     kDevices,
                     "user_id = ? AND expiry_unix > ? AND user_id IN (SELECT id FROM users WHERE "
                     "{{account}})",
                     {user_id, now_unix}};
    l.columns =
        "id, user_id, user_agent, last_remote_addr, created, last_authenticated, expiry, "
        "expiry_unix";
    l.render = [](const store::Row& r) { return render(device_from_row(r)); };
    return l;
}

std::string render(const TrustedDevice& d) {
    return to_json(boost::json::object{{"id", d.id},
                                       {"created", d.created},
                                       {"expiry", d.expiry},
                                       {"last_authenticated", d.last_authenticated},
                                       {"last_remote_addr", d.last_remote_addr},
                                       {"user_agent", d.user_agent}});
}

}  // namespace linnet::auth
