// Request body parsing and typed field reading.
#include "core/json.hpp"

#include <charconv>
#include <cmath>

namespace linnet {

boost::json::object parse_body(std::string_view body) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(body, ec);
    if (ec) throw errors::bad_request("Request body is not valid JSON");
    if (!value.is_object()) throw errors::bad_request("Request body must be a JSON object");
    return std::move(value.as_object());
}

std::optional<std::string> BodyReader::string(std::string_view field, StringRule rule) {
    const auto* v = body_.if_contains(field);
    if (v == nullptr) {
        if (rule.required) fail(std::string(field), std::string(field) + " is required");
        return std::nullopt;
    }
    if (!v->is_string()) {
        fail(std::string(field), std::string(field) + " must be a string");
        return std::nullopt;
    }
    std::string s(v->as_string());
    if (s.size() < rule.min_length || s.size() > rule.max_length) {
        fail(std::string(field), std::string(field) + " must be " +
                                     std::to_string(rule.min_length) + "-" +
                                     std::to_string(rule.max_length) + " characters");
        return std::nullopt;
    }
    if (!rule.control_characters && has_control_character(s)) {
        fail(std::string(field), std::string(field) + " must not contain control characters");
        return std::nullopt;
    }
    return s;
}

bool has_control_character(std::string_view text) {
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) return true;
    }
    return false;
}

std::optional<bool> BodyReader::boolean(std::string_view field, bool required) {
    const auto* v = body_.if_contains(field);
    if (v == nullptr) {
        if (required) fail(std::string(field), std::string(field) + " is required");
        return std::nullopt;
    }
    if (!v->is_bool()) {
        fail(std::string(field), std::string(field) + " must be a boolean");
        return std::nullopt;
    }
    return v->as_bool();
}

std::optional<std::int64_t> BodyReader::integer(std::string_view field, bool required) {
    const auto* v = body_.if_contains(field);
    if (v == nullptr) {
        if (required) fail(std::string(field), std::string(field) + " is required");
        return std::nullopt;
    }
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= INT64_MAX)
        return static_cast<std::int64_t>(v->as_uint64());
    fail(std::string(field), std::string(field) + " must be an integer");
    return std::nullopt;
}

std::optional<std::optional<std::string>> BodyReader::nullable_string(std::string_view field) {
    const auto* v = body_.if_contains(field);
    if (v == nullptr) return std::nullopt;
    if (v->is_null()) return std::optional<std::string>{};
    if (!v->is_string()) {
        fail(std::string(field), std::string(field) + " must be a string or null");
        return std::nullopt;
    }
    if (has_control_character(v->as_string())) {
        fail(std::string(field), std::string(field) + " must not contain control characters");
        return std::nullopt;
    }
    return std::optional<std::string>{std::string(v->as_string())};
}

bool valid_email(std::string_view email) {
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 ||
        email.find('@', at + 1) != std::string_view::npos)
        return false;
    const std::string_view domain = email.substr(at + 1);
    if (domain.empty() || domain.front() == '.' || domain.back() == '.') return false;
    for (char c : email)
        if (static_cast<unsigned char>(c) <= ' ') return false;
    return true;
}

std::optional<std::vector<std::string>> BodyReader::string_list(std::string_view field,
                                                                StringRule each) {
    const auto* v = body_.if_contains(field);
    if (v == nullptr) return std::nullopt;
    if (!v->is_array()) {
        fail(std::string(field), std::string(field) + " must be a list of strings");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : v->as_array()) {
        if (!item.is_string()) {
            fail(std::string(field), std::string(field) + " must be a list of strings");
            return std::nullopt;
        }
        std::string s(item.as_string());
        if (s.size() < each.min_length || s.size() > each.max_length) {
            fail(std::string(field), "Each of " + std::string(field) + " must be " +
                                         std::to_string(each.min_length) + "-" +
                                         std::to_string(each.max_length) + " characters");
            return std::nullopt;
        }
        if (!each.control_characters && has_control_character(s)) {
            fail(std::string(field),
                 "Each of " + std::string(field) + " must not contain control characters");
            return std::nullopt;
        }
        out.push_back(std::move(s));
    }
    return out;
}

void BodyReader::fail(std::string field, std::string reason) {
    errors_.push_back({std::move(reason), std::move(field)});
}

void BodyReader::finish() const {
    if (!errors_.empty()) throw errors::invalid(errors_);
}

}  // namespace linnet

namespace linnet {

namespace {
void write(std::string& out, const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::double_: {
            const double d = v.get_double();
            char buf[64];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
            std::string_view text(buf, static_cast<std::size_t>(end - buf));
            if (ec != std::errc() || !std::isfinite(d)) {
                out += "null";
            } else {
                out += text;
                if (text.find_first_of(".eEn") == std::string_view::npos) out += ".0";
            }
            return;
        }
        case boost::json::kind::array: {
            out.push_back('[');
            bool first = true;
            for (const auto& item : v.get_array()) {
                if (!first) out.push_back(',');
                first = false;
                write(out, item);
            }
            out.push_back(']');
            return;
        }
        case boost::json::kind::object: {
            out.push_back('{');
            bool first = true;
            for (const auto& [key, item] : v.get_object()) {
                if (!first) out.push_back(',');
                first = false;
                out += boost::json::serialize(boost::json::string_view(key));
                out.push_back(':');
                write(out, item);
            }
            out.push_back('}');
            return;
        }
        default:
            out += boost::json::serialize(v);
    }
}
}  // namespace

std::string to_json(const boost::json::value& value) {
    std::string out;
    write(out, value);
    return out;
}

}  // namespace linnet
