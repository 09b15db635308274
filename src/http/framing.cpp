// The checks of a request's framing.
#include "http/framing.hpp"

#include <boost/beast/core/string.hpp>

namespace linnet::http {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<std::string_view> header_section(std::string_view received) {
    // Empty lines before the request line are skipped, as a server may (RFC 9112, 2.2).
    std::size_t start = 0;
    while (received.substr(start, 2) == "\r\n") start += 2;
    const auto end = received.find("\r\n\r\n", start);
    if (end == std::string_view::npos) return std::nullopt;
    return received.substr(start, end + 4 - start);
}

std::optional<std::string> folding_problem(std::string_view section) {
    for (auto pos = section.find("\r\n"); pos != std::string_view::npos;
         pos = section.find("\r\n", pos + 2)) {
        if (pos + 2 >= section.size()) break;
        const char next = section[pos + 2];
        if (next == ' ' || next == '\t')
            return "Header fields may not be folded onto more than one line";
    }
    return std::nullopt;
}

std::optional<std::string> framing_problem(const std::vector<std::string_view>& transfer_encodings,
                                           std::size_t content_lengths) {
    if (transfer_encodings.empty()) return std::nullopt;
    if (content_lengths > 0)
        return "A request may not have both Transfer-Encoding and Content-Length";
    // The codings of every Transfer-Encoding field, in order: the last must be chunked.
    std::string_view last;
    for (auto value : transfer_encodings) {
        for (;;) {
            const auto comma = value.find(',');
            const auto coding = trim(value.substr(0, comma));
            if (!coding.empty()) last = coding;
            if (comma == std::string_view::npos) break;
            value.remove_prefix(comma + 1);
        }
    }
    if (!boost::beast::iequals(last, "chunked"))
        return "The last transfer coding of a request must be chunked";
    return std::nullopt;
}

}  // namespace linnet::http
