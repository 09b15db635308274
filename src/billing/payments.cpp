// Cards, payments, checkouts and promotions.
#include "billing/payments.hpp"

#include <ctime>

#include "auth/token.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace linnet::billing {

namespace {

constexpr std::int64_t kMinPayment = 500;
constexpr std::int64_t kMaxPayment = 5'000'000;

bool digits(const std::string& text) {
    if (text.empty()) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

bool luhn(const std::string& number) {
    int sum = 0;
    bool twice = false;
    for (auto it = number.rbegin(); it != number.rend(); ++it) {
        int d = *it - '0';
        if (twice && (d *= 2) > 9) d -= 9;
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

std::string card_type(const std::string& n) {
    const int two = std::stoi(n.substr(0, 2)), four = std::stoi(n.substr(0, 4));
    if (n[0] == '4') return "Visa";
    if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return "MasterCard";
    if (two == 34 || two == 37) return "American Express";
    if (four == 6011 || two == 65) return "Discover";
    return "Unknown";
}

// This month as year * 12 + month.
std::int64_t this_month() {
    const std::time_t now = unix_now();
    std::tm tm{};
    gmtime_r(&now, &tm);
    return (tm.tm_year + 1900) * 12 + tm.tm_mon + 1;
}

}  // namespace

PaymentMethod add_card(store::Transaction& tx, const Card& card, bool is_default,
                       const std::string& field) {
    std::vector<ErrorDetail> problems;
    if (!digits(card.number) || card.number.size() < 14 || card.number.size() > 24 ||
        !luhn(card.number))
        problems.push_back({"card_number is not a valid card number", field + "card_number"});
    if (!digits(card.cvv) || card.cvv.size() < 3 || card.cvv.size() > 4)
        problems.push_back({"cvv must be 3 or 4 digits", field + "cvv"});
    if (card.expiry_month < 1 || card.expiry_month > 12)
        problems.push_back({"expiry_month must be 1 to 12", field + "expiry_month"});
    else if (card.expiry_year < 1000 || card.expiry_year > 9999)
        problems.push_back({"expiry_year must have four digits", field + "expiry_year"});
    else if (card.expiry_year * 12 + card.expiry_month < this_month())
        problems.push_back({"The card has expired", field + "expiry_year"});
    if (!problems.empty()) throw errors::invalid(std::move(problems));
    PaymentRepository repo(tx);
    PaymentMethod m;
    m.card_type = card_type(card.number);
    m.last_four = card.number.substr(card.number.size() - 4);
    char expiry[16];
    std::snprintf(expiry, sizeof expiry, "%02lld/%04lld", static_cast<long long>(card.expiry_month),
                  static_cast<long long>(card.expiry_year));
    m.expiry = expiry;
    // The first method is the default whatever was asked.
    m.is_default = is_default || repo.count_methods() == 0;
    m.created = now_utc();
    m.id = repo.add_method(m);
    if (m.is_default) repo.make_default(m.id);
    return m;
}

void remove_method(store::Transaction& tx, std::int64_t id) {
    PaymentRepository repo(tx);
    const auto m = repo.find_method(id);
    if (!m) throw errors::not_found();
    if (m->is_default)
        throw errors::bad_request(
            "The default payment method is not deleted: make another one the default first");
    repo.remove_method(id);
}

std::optional<std::int64_t> parse_usd(const std::string& text) {
    std::string t = text;
    if (!t.empty() && t[0] == '$') t.erase(0, 1);
    const auto dot = t.find('.');
    if (dot == std::string::npos || dot == 0 || t.size() - dot != 3 || t.size() > 12) return {};
    const std::string whole = t.substr(0, dot), cents = t.substr(dot + 1);
    if (!digits(whole) || !digits(cents)) return std::nullopt;
    return std::stoll(whole) * 100 + std::stoll(cents);
}

namespace {

std::int64_t amount(const std::string& usd) {
    const auto cents = parse_usd(usd);
    if (!cents)
        throw errors::bad_request("usd must be an amount in dollars and cents, as $120.50", "usd");
    if (*cents < kMinPayment || *cents > kMaxPayment)
        throw errors::bad_request("A payment is $5.00 to $50,000.00", "usd");
    return *cents;
}

}  // namespace

Payment pay(store::Transaction& tx, const std::string& usd,
            std::optional<std::int64_t> payment_method_id) {
    const std::int64_t cents = amount(usd);
    PaymentRepository repo(tx);
    const auto method =
        payment_method_id ? repo.find_method(*payment_method_id) : repo.default_method();
    if (!method)
        throw errors::bad_request(payment_method_id ? "No payment method of the account by that id"
                                                    : "The account has no payment method",
                                  "payment_method_id");
    Payment p{0, cents, method->id, now_utc()};
    p.id = repo.add_payment(p);
    return p;
}

Checkout paypal_checkout(store::Transaction& tx, const std::string& usd) {
    const std::int64_t cents = amount(usd);
    Checkout c{"EC-" + auth::random_hex(8), "PAY-" + auth::random_hex(12)};
    PaymentRepository(tx).add_checkout(c.payment_id, cents, now_utc());
    return c;
}

Payment paypal_execute(store::Transaction& tx, const std::string& payment_id) {
    PaymentRepository repo(tx);
    const auto cents = repo.take_checkout(payment_id);
    if (!cents)
        throw errors::bad_request("No PayPal checkout of the account waits by that id",
                                  "payment_id");
    Payment p{0, *cents, std::nullopt, now_utc()};
    p.id = repo.add_payment(p);
    return p;
}

Promotion apply_promo(store::Transaction& tx, const std::string& code) {
    PaymentRepository repo(tx);
    const auto promo = repo.find_promo(code);
    const std::string now = now_utc();
    if (!promo || promo->expires <= now)
        throw errors::bad_request("No promotion by that code is running", "promo_code");
    if (!repo.promotions().empty())
        throw errors::bad_request("The account has a promotion already", "promo_code");
    repo.add_promotion(*promo, now);
    return {*promo, promo->credit_cents, now};
}

}  // namespace linnet::billing
