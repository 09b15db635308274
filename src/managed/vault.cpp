// The vault's key file and libsodium's secretbox and Ed25519.
#include "managed/vault.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace linnet::managed {

namespace fs = std::filesystem;

namespace {

std::string base64(const unsigned char* data, std::size_t size) {
    std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::vector<unsigned char>> unbase64(const std::string& text) {
    std::vector<unsigned char> out(text.size());
    std::size_t size = 0;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &size, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(size);
    return out;
}

bool read_key(const fs::path& file, std::array<unsigned char, 32>& key) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    in.read(reinterpret_cast<char*>(key.data()), key.size());
    return in.gcount() == static_cast<std::streamsize>(key.size());
}

// An SSH wire string: its length (four bytes, big-endian) and its bytes.
void wire(std::vector<unsigned char>& out, const unsigned char* data, std::size_t size) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<unsigned char>((size >> shift) & 0xff));
    out.insert(out.end(), data, data + size);
}

}  // namespace

Vault Vault::open(const fs::path& file, bool create) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
    std::array<unsigned char, 32> key{};
    if (read_key(file, key)) return Vault(key);
    if (!create) throw std::runtime_error("no vault key at " + file.string());
    // Written whole under a name of this process, then linked into place: of two processes
    // making it at once, one key wins and both read it.
    randombytes_buf(key.data(), key.size());
    fs::create_directories(file.parent_path());
    const fs::path tmp = file.string() + "." + std::to_string(::getpid()) + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + tmp.string());
    const bool written =
        ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) throw std::runtime_error("cannot write " + tmp.string());
    ::link(tmp.c_str(), file.c_str());
    fs::remove(tmp);
    if (!read_key(file, key)) throw std::runtime_error("cannot read " + file.string());
    return Vault(key);
}

std::string Vault::seal(const std::string& plain) const {
    std::vector<unsigned char> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                   plain.size());
    randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                          out.data(), key_.data());
    return base64(out.data(), out.size());
}

std::optional<std::string> Vault::open_sealed(const std::string& sealed) const {
    const auto bytes = unbase64(sealed);
    if (!bytes || bytes->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return std::nullopt;
    std::string plain(bytes->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES,
                      '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                   bytes->data() + crypto_secretbox_NONCEBYTES,
                                   bytes->size() - crypto_secretbox_NONCEBYTES, bytes->data(),
                                   key_.data()) != 0)
        return std::nullopt;
    return plain;
}

KeyPair ssh_key_pair(const std::string& comment) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pub{};
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret{};
    crypto_sign_keypair(pub.data(), secret.data());
    static const std::string kind = "ssh-ed25519";
    std::vector<unsigned char> blob;
    wire(blob, reinterpret_cast<const unsigned char*>(kind.data()), kind.size());
    wire(blob, pub.data(), pub.size());
    return {kind + " " + base64(blob.data(), blob.size()) + " " + comment,
            base64(secret.data(), secret.size())};
}

}  // namespace linnet::managed
