// A Linode's user data: base64 of at most 65535 bytes, given with a create, rebuild or clone
// (metadata.user_data), kept as given and handed to cloud-init decoded.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace linnet::metadata {

inline constexpr std::size_t kUserDataMaxBytes = 65535;

// Why the text is no acceptable user data (not base64, or too large once decoded); nullopt when
// it is.
std::optional<std::string> user_data_problem(std::string_view base64);

// The bytes the base64 text stands for (throws std::invalid_argument on bad base64).
std::string decode_base64(std::string_view base64);

}  // namespace linnet::metadata
