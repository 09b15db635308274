// Form parsing. Multipart parts are found by their boundary lines; only a part's name matters
// here (the login service takes no file uploads), and its headers are otherwise ignored.
#include "http/form.hpp"

#include <cctype>

#include "http/request.hpp"

namespace linnet::http {

void FormFields::add(std::string name, std::string value, std::optional<std::string> filename) {
    if (filename) filenames_.emplace_back(name, std::move(*filename));
    fields_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> FormFields::filename(std::string_view name) const {
    for (const auto& [n, f] : filenames_)
        if (n == name) return f;
    return std::nullopt;
}

std::optional<std::string> FormFields::get(std::string_view name) const {
    for (const auto& [n, v] : fields_)
        if (n == name) return v;
    return std::nullopt;
}

std::vector<std::string> FormFields::all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : fields_)
        if (n == name) out.push_back(v);
    return out;
}

bool FormFields::repeated(std::string_view name) const {
    int count = 0;
    for (const auto& field : fields_) count += field.first == name;
    return count > 1;
}

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// The value of a parameter in a header such as `form-data; name="x"` or
// `multipart/form-data; boundary=y`.
std::optional<std::string> header_parameter(std::string_view header, std::string_view name) {
    std::size_t pos = header.find(';');
    while (pos != std::string_view::npos) {
        std::string_view rest = header.substr(pos + 1);
        const std::size_t next = rest.find(';');
        std::string_view item = trim(rest.substr(0, next));
        pos = next == std::string_view::npos ? next : pos + 1 + next;
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos || lower(trim(item.substr(0, eq))) != name) continue;
        std::string_view value = trim(item.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        return std::string(value);
    }
    return std::nullopt;
}

std::optional<FormFields> parse_multipart(std::string_view body, const std::string& boundary) {
    if (boundary.empty() || boundary.size() > 200) return std::nullopt;
    const std::string delimiter = "--" + boundary;
    FormFields fields;
    std::size_t pos = body.find(delimiter);
    if (pos == std::string_view::npos) return std::nullopt;
    for (;;) {
        pos += delimiter.size();
        if (body.substr(pos, 2) == "--") return fields;  // the closing delimiter
        if (body.substr(pos, 2) != "\r\n") return std::nullopt;
        pos += 2;
        const std::size_t headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos) return std::nullopt;
        const std::size_t next = body.find("\r\n" + delimiter, headers_end + 4);
        if (next == std::string_view::npos) return std::nullopt;
        std::optional<std::string> name, filename;
        std::string_view headers = body.substr(pos, headers_end - pos);
        while (!headers.empty()) {
            const std::size_t eol = headers.find("\r\n");
            std::string_view line = headers.substr(0, eol);
            headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
            const std::size_t colon = line.find(':');
            if (colon != std::string_view::npos &&
                lower(trim(line.substr(0, colon))) == "content-disposition") {
                name = header_parameter(line.substr(colon + 1), "name");
                filename = header_parameter(line.substr(colon + 1), "filename");
            }
        }
        if (!name) return std::nullopt;
        fields.add(*name, std::string(body.substr(headers_end + 4, next - headers_end - 4)),
                   filename);
        pos = next + 2;
    }
}

}  // namespace

FormFields parse_urlencoded(std::string_view text) {
    FormFields fields;
    while (!text.empty()) {
        const std::size_t amp = text.find('&');
        std::string_view pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (pair.empty()) continue;
        const std::size_t eq = pair.find('=');
        std::string key(pair.substr(0, eq));
        std::string value(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        for (auto* part : {&key, &value})
            for (auto& c : *part)
                if (c == '+') c = ' ';
        auto k = percent_decode(key);
        auto v = percent_decode(value);
        if (k && v) fields.add(std::move(*k), std::move(*v));
    }
    return fields;
}

std::optional<FormFields> parse_form(std::string_view content_type, std::string_view body) {
    const std::string type = lower(trim(content_type.substr(0, content_type.find(';'))));
    if (type == "application/x-www-form-urlencoded") return parse_urlencoded(body);
    if (type == "multipart/form-data") {
        auto boundary = header_parameter(content_type, "boundary");
        if (!boundary) return std::nullopt;
        return parse_multipart(body, *boundary);
    }
    return std::nullopt;
}

std::string url_encode(std::string_view text) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(digits[u >> 4]);
            out.push_back(digits[u & 0xf]);
        }
    }
    return out;
}

}  // namespace linnet::http
