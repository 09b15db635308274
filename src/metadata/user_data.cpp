// Checking and decoding user data with libsodium's base64 (padding and line breaks allowed).
#include "metadata/user_data.hpp"

#include <sodium.h>

#include <stdexcept>

namespace linnet::metadata {

std::string decode_base64(std::string_view base64) {
    std::string out(base64.size() * 3 / 4 + 3, '\0');
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), base64.data(),
                          base64.size(), " \t\r\n", &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != base64.data() + base64.size())
        throw std::invalid_argument("not base64");
    out.resize(length);
    return out;
}

std::optional<std::string> user_data_problem(std::string_view base64) {
    if (base64.empty()) return "user_data must not be empty";
    // The decoded size is known from the text before anything is decoded.
    if (base64.size() / 4 * 3 > kUserDataMaxBytes + 3 * 1024)
        return "user_data must not exceed 65535 bytes once decoded";
    try {
        if (decode_base64(base64).size() > kUserDataMaxBytes)
            return "user_data must not exceed 65535 bytes once decoded";
    } catch (const std::invalid_argument&) {
        return "user_data must be base64-encoded";
    }
    return std::nullopt;
}

}  // namespace linnet::metadata
