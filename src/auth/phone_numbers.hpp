// Phone numbers as users type them ("555-555-5555" with iso_code "US", "+44 7700 900123"),
// in E.164 form ("+15555555555"): the country's calling code from data/catalog/calling_codes.json
// (ISO 3166 code to calling code), the national number's trunk prefix dropped.
#pragma once

#include <optional>
#include <string>

namespace linnet::auth {

// The number in E.164 form, or nothing with why in `problem` (and which field: "iso_code" or
// "phone_number").
std::optional<std::string> e164(const std::string& iso_code, const std::string& number,
                                std::string& problem, std::string& field);

}  // namespace linnet::auth
