// Issuing and checking Metadata tokens with HMAC-SHA-256 (libsodium).
#include "metadata/metadata_tokens.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "auth/token.hpp"

namespace linnet::metadata {

namespace fs = std::filesystem;

TokenKey TokenKey::load_or_create(const fs::path& file) {
    std::array<unsigned char, 32> bytes{};
    if (std::ifstream in(file, std::ios::binary); in) {
        in.read(reinterpret_cast<char*>(bytes.data()), bytes.size());
        if (in.gcount() == static_cast<std::streamsize>(bytes.size())) return TokenKey(bytes);
    }
    randombytes_buf(bytes.data(), bytes.size());
    // Written whole under another name, then moved: a reader never sees half a key.
    const fs::path tmp = file.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + tmp.string());
    const bool written =
        ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!written) throw std::runtime_error("cannot write " + tmp.string());
    fs::rename(tmp, file);
    return TokenKey(bytes);
}

std::string TokenKey::mac(std::int64_t linode_id, std::uint64_t expires) const {
    const std::string message = std::to_string(linode_id) + ":" + std::to_string(expires);
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> out{};
    crypto_auth_hmacsha256(out.data(), reinterpret_cast<const unsigned char*>(message.data()),
                           message.size(), bytes_.data());
    return auth::to_hex(out.data(), 24);
}

std::string TokenKey::issue(std::int64_t linode_id, std::int64_t expires_unix) const {
    char head[17];
    std::snprintf(head, sizeof(head), "%016llx", static_cast<unsigned long long>(expires_unix));
    return head + mac(linode_id, static_cast<std::uint64_t>(expires_unix));
}

bool TokenKey::accepts(const std::string& token, std::int64_t linode_id,
                       std::int64_t now_unix) const {
    if (token.size() != 64) return false;
    for (char c : token)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    const std::uint64_t expires = std::stoull(token.substr(0, 16), nullptr, 16);
    const std::string expected = mac(linode_id, expires);
    if (sodium_memcmp(expected.data(), token.data() + 16, expected.size()) != 0) return false;
    return static_cast<std::int64_t>(expires) > now_unix;
}

}  // namespace linnet::metadata
