// Reading request bodies: parse JSON objects and read typed fields, collecting every field error
// so that one 400 names them all, as the Linode API does.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace linnet {

// Parses a request body that must be a JSON object; an empty body is an empty object.
boost::json::object parse_body(std::string_view body);

// local@domain with no spaces: the shape an email must have ("admin@linnet.localhost" is one).
bool valid_email(std::string_view email);

// A field that is absent is not read; a field that is present must have its type (null is not a
// value of a string, boolean or integer field; nullable fields use nullable_string).
struct StringRule {
    bool required = false;
    std::size_t min_length = 0;
    std::size_t max_length = SIZE_MAX;
    // Control characters (U+0000-U+001F, U+007F) are refused unless a field allows them (free
    // text such as a config's comments may hold line breaks).
    bool control_characters = false;
};

// True when the text holds a control character (U+0000-U+001F or U+007F).
bool has_control_character(std::string_view text);

class BodyReader {
  public:
    explicit BodyReader(const boost::json::object& body) : body_(body) {}

    bool has(std::string_view field) const { return body_.contains(field); }
    std::optional<std::string> string(std::string_view field, StringRule rule = {});
    std::optional<bool> boolean(std::string_view field, bool required = false);
    std::optional<std::int64_t> integer(std::string_view field, bool required = false);
    // A string field that may be null; the outer optional says whether it was present.
    std::optional<std::optional<std::string>> nullable_string(std::string_view field);
    // A list of strings, each within the rule's lengths.
    std::optional<std::vector<std::string>> string_list(std::string_view field,
                                                        StringRule each = {});

    void fail(std::string field, std::string reason);
    // How many field errors were collected so far.
    std::size_t problems() const { return errors_.size(); }
    // Throws one 400 naming every field error collected so far.
    void finish() const;

  private:
    const boost::json::object& body_;
    std::vector<ErrorDetail> errors_;
};

}  // namespace linnet

namespace linnet {

// Compact JSON text for a value. Unlike boost::json::serialize, doubles print in their shortest
// exact form ("1.728", "5.0"), as the Linode API prints them.
std::string to_json(const boost::json::value& value);

}  // namespace linnet
