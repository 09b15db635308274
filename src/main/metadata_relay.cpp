// `linnetd metadata-relay --socket PATH --linode ID`: what QEMU runs for each connection a guest
// opens to 169.254.169.254:80 (a guestfwd of the Linode's metadata network). The connection is
// its standard input and output; it joins them to the host's metadata listener, saying first
// which Linode is asking. Nothing is written to standard error: it is the guest's connection too.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "main/options.hpp"
#include "metadata/metadata_listener.hpp"

namespace linnet::cli {

namespace {

bool write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

int relay(const std::string& socket_path, std::int64_t linode) {
    const int sock = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0) return 1;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof(address.sun_path)) return 1;
    std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
    if (::connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return 1;
    const std::string hello = metadata::preamble(linode);
    if (!write_all(sock, hello.data(), hello.size())) return 1;
    // Guest to host until the guest stops sending; host to guest until the host closes.
    bool guest_open = true;
    std::array<char, 16384> buffer{};
    for (;;) {
        std::array<pollfd, 2> fds{{{guest_open ? 0 : -1, POLLIN, 0}, {sock, POLLIN, 0}}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            return 1;
        }
        if (fds[0].revents != 0) {
            const ssize_t n = ::read(0, buffer.data(), buffer.size());
            if (n > 0) {
                if (!write_all(sock, buffer.data(), static_cast<std::size_t>(n))) return 0;
            } else if (n == 0 || errno != EINTR) {
                guest_open = false;
                ::shutdown(sock, SHUT_WR);
            }
        }
        if (fds[1].revents != 0) {
            const ssize_t n = ::read(sock, buffer.data(), buffer.size());
            if (n > 0) {
                if (!write_all(1, buffer.data(), static_cast<std::size_t>(n))) return 0;
            } else if (n == 0 || errno != EINTR) {
                return 0;
            }
        }
    }
}

}  // namespace

void add_metadata_relay(CLI::App& app) {
    auto socket = std::make_shared<std::string>();
    auto linode = std::make_shared<std::int64_t>(0);
    auto* cmd = app.add_subcommand(
        "metadata-relay",
        "Join a guest's connection to 169.254.169.254:80 (standard input and output) to the "
        "host's Metadata service (QEMU runs it)");
    cmd->add_option("--socket", *socket, "The metadata listener's socket")->required();
    cmd->add_option("--linode", *linode, "The Linode whose guest connects")
        ->required()
        ->check(CLI::PositiveNumber);
    cmd->callback([socket, linode] { std::exit(relay(*socket, *linode)); });
}

}  // namespace linnet::cli
