// How a request's message body is framed, checked as RFC 9112 asks before anything reads the
// body: a header line folded onto the next (obs-fold), a Transfer-Encoding whose last coding is
// not chunked, or a Transfer-Encoding beside a Content-Length would let this server and a proxy
// in front of it see different requests, so each is refused with 400.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linnet::http {

// The bytes of a request's header section, from the request line to the empty line that ends it,
// or nothing while they have not all arrived.
std::optional<std::string_view> header_section(std::string_view received);

// Why the header section may not be read as it stands (an obs-fold line), or nothing.
std::optional<std::string> folding_problem(std::string_view header_section);

// Why a request with these Transfer-Encoding and Content-Length field values (every field of
// each name, as received) has no body length to trust, or nothing.
std::optional<std::string> framing_problem(const std::vector<std::string_view>& transfer_encodings,
                                           std::size_t content_lengths);

}  // namespace linnet::http
