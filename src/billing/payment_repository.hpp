// Payments' tables: payment_methods, payments, paypal_checkouts, promo_codes (the operator's) and
// account_promotions. Every statement on them lives in payment_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/listing.hpp"

namespace linnet::billing {

struct PaymentMethod {
    std::int64_t id = 0;
    std::string type = "credit_card";
    std::string card_type;
    std::string last_four;
    std::string expiry;  // MM/YYYY
    bool is_default = false;
    std::string created;
};

struct Payment {
    std::int64_t id = 0;
    std::int64_t usd_cents = 0;
    std::optional<std::int64_t> payment_method_id;
    std::string date;
};

struct PromoCode {
    std::string code;
    std::int64_t credit_cents = 0;
    std::int64_t monthly_cap_cents = 0;
    std::string expires;
    std::string summary;
};

struct Promotion {
    PromoCode promo;
    std::int64_t credit_remaining_cents = 0;
    std::string added;
};

class PaymentRepository {
  public:
    explicit PaymentRepository(store::Transaction& tx) : tx_(tx) {}

    std::int64_t add_method(const PaymentMethod& m);
    std::optional<PaymentMethod> find_method(std::int64_t id);
    std::optional<PaymentMethod> default_method();
    std::int64_t count_methods();
    // Makes the method the account's default (and no other).
    void make_default(std::int64_t id);
    void remove_method(std::int64_t id);

    std::int64_t add_payment(const Payment& p);
    std::optional<Payment> find_payment(std::int64_t id);
    // What the account has paid, in cents.
    std::int64_t paid_cents();

    void add_checkout(const std::string& payment_id, std::int64_t usd_cents,
                      const std::string& created);
    // The account's checkout, taken (it is executed once): its amount.
    std::optional<std::int64_t> take_checkout(const std::string& payment_id);

    // The operator's codes (system scope).
    void save_promo(const PromoCode& p);
    std::optional<PromoCode> find_promo(const std::string& code);
    void add_promotion(const PromoCode& p, const std::string& added);
    std::vector<Promotion> promotions();
    // An invoice took `cents` of the promotion's credit.
    void spend_credit(const std::string& code, std::int64_t cents);

    static store::Listing method_listing();
    static store::Listing payment_listing();

  private:
    store::Transaction& tx_;
};

std::string render(const PaymentMethod& m);
std::string render(const Payment& p);
// Cents as the API writes money in text ("10.00").
std::string dollars(std::int64_t cents);

}  // namespace linnet::billing
