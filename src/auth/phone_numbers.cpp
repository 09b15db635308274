// E.164 numbers from an ISO country code and a number as typed.
#include "auth/phone_numbers.hpp"

#include <boost/json.hpp>
#include <map>
#include <string_view>

namespace linnet::catalog::embedded {
extern const std::string_view calling_codes;
}

namespace linnet::auth {

namespace {

const std::map<std::string, std::string>& calling_codes() {
    static const auto codes = [] {
        std::map<std::string, std::string> out;
        const auto parsed = boost::json::parse(catalog::embedded::calling_codes);
        for (const auto& [iso, code] : parsed.as_object())
            out[std::string(iso)] = std::to_string(code.as_int64());
        return out;
    }();
    return codes;
}

}  // namespace

std::optional<std::string> e164(const std::string& iso_code, const std::string& number,
                                std::string& problem, std::string& field) {
    std::string iso;
    for (char c : iso_code) iso += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    const auto found = calling_codes().find(iso);
    if (found == calling_codes().end()) {
        problem = "iso_code must be a two-letter ISO 3166 country code";
        field = "iso_code";
        return std::nullopt;
    }
    const std::string& country = found->second;
    field = "phone_number";
    std::string digits;
    bool international = false;
    for (std::size_t i = 0; i < number.size(); ++i) {
        const char c = number[i];
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c == '+' && digits.empty() && !international) {
            international = true;
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            problem = "phone_number holds only digits, spaces, hyphens, dots and parentheses";
            return std::nullopt;
        }
    }
    std::string national;
    if (international) {
        if (digits.rfind(country, 0) != 0) {
            problem = "phone_number's country code is not " + iso + "'s (+" + country + ")";
            return std::nullopt;
        }
        national = digits.substr(country.size());
    } else {
        national = digits;
        // The trunk prefix of a national number: a leading 0, or 1 in the +1 countries.
        if (country == "1" && national.size() == 11 && national[0] == '1')
            national.erase(0, 1);
        else if (country != "1" && !national.empty() && national[0] == '0')
            national.erase(0, 1);
    }
    if (country == "1" ? national.size() != 10
                       : national.size() < 4 || country.size() + national.size() > 15) {
        problem = "phone_number is not a valid number for " + iso;
        return std::nullopt;
    }
    return "+" + country + national;
}

}  // namespace linnet::auth
