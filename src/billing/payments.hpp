// Payments as Linnet takes them: recorded, never charged. A card is checked as a processor
// would check its form (the Luhn digit, a CVV, an expiry not past) and only its kind, last four
// digits and expiry are kept; a payment of $5.00 to $50,000.00 is recorded against a payment
// method of the account (or a PayPal checkout, executed once); a promo code of the operator's
// (`linnetd promo add`) gives the account its credit, one promotion at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "billing/payment_repository.hpp"

namespace linnet::billing {

struct Card {
    std::string number;
    std::string cvv;
    std::int64_t expiry_month = 0;
    std::int64_t expiry_year = 0;
};

// `field` prefixes the problems' fields ("data." for /account/payment-methods).
PaymentMethod add_card(store::Transaction& tx, const Card& card, bool is_default,
                       const std::string& field = "");
// 400 for the default method; 404 for none of the account's.
void remove_method(store::Transaction& tx, std::int64_t id);

// Cents of "$120.50" or "120.50"; nothing when the text is not such an amount.
std::optional<std::int64_t> parse_usd(const std::string& text);

// 400 (usd, payment_method_id) for an amount out of range or no method to pay with.
Payment pay(store::Transaction& tx, const std::string& usd,
            std::optional<std::int64_t> payment_method_id);

struct Checkout {
    std::string checkout_token;
    std::string payment_id;
};
Checkout paypal_checkout(store::Transaction& tx, const std::string& usd);
// 400 (payment_id) for a checkout that is not the account's or was executed.
Payment paypal_execute(store::Transaction& tx, const std::string& payment_id);

// 400 (promo_code) for an unknown or expired code, or an account with a promotion already.
Promotion apply_promo(store::Transaction& tx, const std::string& code);

}  // namespace linnet::billing
