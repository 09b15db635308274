// Statements on payment_methods, payments, paypal_checkouts, promo_codes and
// account_promotions.
#include "billing/payment_repository.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::billing {

namespace json = boost::json;

namespace statements {
constexpr std::string_view method_columns =
    "id, type, card_type, last_four, expiry, is_default, created";
constexpr std::string_view add_method =
    "INSERT INTO payment_methods (account_id, type, card_type, last_four, expiry, is_default, "
    "created) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
const std::string find_method =
    "SELECT " + std::string(method_columns) + " FROM payment_methods WHERE id = ? AND {{account}}";
const std::string default_method = "SELECT " + std::string(method_columns) +
                                   " FROM payment_methods WHERE is_default = 1 AND {{account}}";
constexpr std::string_view count_methods =
    "SELECT COUNT(*) AS n FROM payment_methods WHERE {{account}}";
constexpr std::string_view make_default =
    "UPDATE payment_methods SET is_default = CASE WHEN id = ? THEN 1 ELSE 0 END WHERE "
    "{{account}}";
constexpr std::string_view remove_method =
    "DELETE FROM payment_methods WHERE id = ? AND {{account}}";
constexpr std::string_view payment_columns = "id, usd_cents, payment_method_id, date";
constexpr std::string_view add_payment =
    "INSERT INTO payments (account_id, usd_cents, payment_method_id, date) VALUES (?, ?, ?, ?) "
    "RETURNING id";
const std::string find_payment =
    "SELECT " + std::string(payment_columns) + " FROM payments WHERE id = ? AND {{account}}";
constexpr std::string_view paid =
    "SELECT COALESCE(SUM(usd_cents), 0) AS cents FROM payments WHERE {{account}}";
constexpr std::string_view add_checkout =
    "INSERT INTO paypal_checkouts (payment_id, account_id, usd_cents, created) VALUES (?, ?, ?, "
    "?)";
constexpr std::string_view find_checkout =
    "SELECT usd_cents FROM paypal_checkouts WHERE payment_id = ? AND {{account}}";
constexpr std::string_view remove_checkout =
    "DELETE FROM paypal_checkouts WHERE payment_id = ? AND {{account}}";
constexpr std::string_view save_promo =
    "INSERT INTO promo_codes (code, credit_cents, monthly_cap_cents, expires, summary) VALUES "
    "(?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET credit_cents = excluded.credit_cents, "
    "monthly_cap_cents = excluded.monthly_cap_cents, expires = excluded.expires, summary = "
    "excluded.summary";
constexpr std::string_view find_promo =
    "SELECT code, credit_cents, monthly_cap_cents, expires, summary FROM promo_codes WHERE code "
    "= ?";
constexpr std::string_view add_promotion =
    "INSERT INTO account_promotions (account_id, code, credit_remaining_cents, added) VALUES (?, "
    "?, ?, ?)";
constexpr std::string_view promotions =
    "SELECT c.code, c.credit_cents, c.monthly_cap_cents, c.expires, c.summary, "
    "p.credit_remaining_cents, p.added FROM account_promotions p JOIN promo_codes c ON c.code = "
    "p.code WHERE {{account:p.account_id}} ORDER BY p.added";
constexpr std::string_view spend_credit =
    "UPDATE account_promotions SET credit_remaining_cents = credit_remaining_cents - ? WHERE "
    "code = ? AND {{account}}";
}  // namespace statements

namespace {

const filter::Schema kMethods{{}, "id"};
const filter::Schema kPayments{{}, "id"};

PaymentMethod method_from_row(const store::Row& r) {
    return {r.integer("id"),  r.text("type"),          r.text("card_type"), r.text("last_four"),
            r.text("expiry"), r.boolean("is_default"), r.text("created")};
}

Payment payment_from_row(const store::Row& r) {
    return {r.integer("id"), r.integer("usd_cents"), r.optional_integer("payment_method_id"),
            r.text("date")};
}

PromoCode promo_from_row(const store::Row& r) {
    return {r.text("code"), r.integer("credit_cents"), r.integer("monthly_cap_cents"),
            r.text("expires"), r.text("summary")};
}

template <class T, class F>
std::optional<T> first(const store::Rows& rows, F from) {
    if (rows.empty()) return std::nullopt;
    return from(rows.front());
}

}  // namespace

std::int64_t PaymentRepository::add_method(const PaymentMethod& m) {
    return tx_
        .query(statements::add_method, {tx_.scope().account_id(), m.type, m.card_type, m.last_four,
                                        m.expiry, std::int64_t{m.is_default ? 1 : 0}, m.created})
        .at(0)
        .integer("id");
}

std::optional<PaymentMethod> PaymentRepository::find_method(std::int64_t id) {
    return first<PaymentMethod>(store::scoped_query(tx_, statements::find_method, {id}),
                                method_from_row);
}

std::optional<PaymentMethod> PaymentRepository::default_method() {
    return first<PaymentMethod>(store::scoped_query(tx_, statements::default_method),
                                method_from_row);
}

std::int64_t PaymentRepository::count_methods() {
    return store::scoped_query(tx_, statements::count_methods).at(0).integer("n");
}

void PaymentRepository::make_default(std::int64_t id) {
    store::scoped_execute(tx_, statements::make_default, {id});
}

void PaymentRepository::remove_method(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove_method, {id});
}

std::int64_t PaymentRepository::add_payment(const Payment& p) {
    return tx_
        .query(statements::add_payment,
               {tx_.scope().account_id(), p.usd_cents, store::or_null(p.payment_method_id), p.date})
        .at(0)
        .integer("id");
}

std::optional<Payment> PaymentRepository::find_payment(std::int64_t id) {
    return first<Payment>(store::scoped_query(tx_, statements::find_payment, {id}),
                          payment_from_row);
}

std::int64_t PaymentRepository::paid_cents() {
    return store::scoped_query(tx_, statements::paid).at(0).integer("cents");
}

void PaymentRepository::add_checkout(const std::string& payment_id, std::int64_t usd_cents,
                                     const std::string& created) {
    tx_.execute(statements::add_checkout,
                {payment_id, tx_.scope().account_id(), usd_cents, created});
}

std::optional<std::int64_t> PaymentRepository::take_checkout(const std::string& payment_id) {
    auto rows = store::scoped_query(tx_, statements::find_checkout, {payment_id});
    if (rows.empty()) return std::nullopt;
    // Only the request whose delete removed the row credits it (another may have read it too).
    if (store::scoped_execute(tx_, statements::remove_checkout, {payment_id}) != 1)
        return std::nullopt;
    return rows.front().integer("usd_cents");
}

void PaymentRepository::save_promo(const PromoCode& p) {
    tx_.execute(statements::save_promo,
                {p.code, p.credit_cents, p.monthly_cap_cents, p.expires, p.summary});
}

std::optional<PromoCode> PaymentRepository::find_promo(const std::string& code) {
    return first<PromoCode>(tx_.query(statements::find_promo, {code}), promo_from_row);
}

void PaymentRepository::add_promotion(const PromoCode& p, const std::string& added) {
    tx_.execute(statements::add_promotion,
                {tx_.scope().account_id(), p.code, p.credit_cents, added});
}

std::vector<Promotion> PaymentRepository::promotions() {
    std::vector<Promotion> out;
    for (const auto& r : store::scoped_query(tx_, statements::promotions))
        out.push_back({promo_from_row(r), r.integer("credit_remaining_cents"), r.text("added")});
    return out;
}

void PaymentRepository::spend_credit(const std::string& code, std::int64_t cents) {
    store::scoped_execute(tx_, statements::spend_credit, {cents, code});
}

store::Listing PaymentRepository::method_listing() {
    store::Listing l{"payment_methods", kMethods, "{{account}}"};
    l.columns = std::string(statements::method_columns);
    l.render = [](const store::Row& r) { return render(method_from_row(r)); };
    return l;
}

store::Listing PaymentRepository::payment_listing() {
    store::Listing l{"payments", kPayments, "{{account}}"};
    l.columns = std::string(statements::payment_columns);
    l.render = [](const store::Row& r) { return render(payment_from_row(r)); };
    return l;
}

std::string render(const PaymentMethod& m) {
    return to_json(json::object{{"id", m.id},
                                {"type", m.type},
                                {"is_default", m.is_default},
                                {"created", m.created},
                                {"data", json::object{{"card_type", m.card_type},
                                                      {"expiry", m.expiry},
                                                      {"last_four", m.last_four}}}});
}

std::string render(const Payment& p) {
    return to_json(json::object{
        {"id", p.id}, {"date", p.date}, {"usd", static_cast<double>(p.usd_cents) / 100.0}});
}

std::string dollars(std::int64_t cents) {
    char text[32];
    std::snprintf(text, sizeof text, "%lld.%02lld", static_cast<long long>(cents / 100),
                  static_cast<long long>(cents % 100));
    return text;
}

}  // namespace linnet::billing
