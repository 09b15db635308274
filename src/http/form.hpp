// HTML form bodies as the login service receives them: application/x-www-form-urlencoded and
// multipart/form-data (RFC 7578), read into named fields; and URL encoding for the redirects.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace linnet::http {

class FormFields {
  public:
    void add(std::string name, std::string value, std::optional<std::string> filename = {});
    // The first value of a field.
    std::optional<std::string> get(std::string_view name) const;
    // The file name a multipart field's part was sent with, if it was sent as a file.
    std::optional<std::string> filename(std::string_view name) const;
    // Every value of a field, in order (checkboxes share a name).
    std::vector<std::string> all(std::string_view name) const;
    // True when the field appears more than once (OAuth parameters must not).
    bool repeated(std::string_view name) const;

  private:
    std::vector<std::pair<std::string, std::string>> fields_;
    std::vector<std::pair<std::string, std::string>> filenames_;
};

// Parses a body by its Content-Type; nullopt for another type or a malformed body.
std::optional<FormFields> parse_form(std::string_view content_type, std::string_view body);

// "a=1&b=x+y" with %XX escapes; a malformed pair is skipped.
FormFields parse_urlencoded(std::string_view text);

// Encodes a query component: everything but unreserved characters as %XX.
std::string url_encode(std::string_view text);

}  // namespace linnet::http
