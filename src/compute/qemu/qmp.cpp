// QMP over a unix socket: read the greeting, negotiate, send one command, read its answer.
#include "compute/qemu/qmp.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace linnet::compute {

namespace {

class Connection {
  public:
    explicit Connection(const std::filesystem::path& path) {
        fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) return;
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const std::string p = path.string();
        if (p.size() >= sizeof addr.sun_path) {
            close_now();
            return;
        }
        std::memcpy(addr.sun_path, p.c_str(), p.size() + 1);
        if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) close_now();
    }
    ~Connection() { close_now(); }
    bool ok() const { return fd_ >= 0; }

    bool send(const std::string& line) {
        std::string data = line + "\n";
        return write(fd_, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    }

    // The next JSON message, or nullopt on timeout or close.
    std::optional<boost::json::object> next(std::chrono::steady_clock::time_point deadline) {
        for (;;) {
            auto nl = buffer_.find('\n');
            if (nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                boost::system::error_code ec;
                auto v = boost::json::parse(line, ec);
                if (!ec && v.is_object()) return v.as_object();
                continue;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
            char buf[4096];
            const ssize_t n = read(fd_, buf, sizeof buf);
            if (n <= 0) return std::nullopt;
            buffer_.append(buf, static_cast<std::size_t>(n));
        }
    }

    // The answer to the command just sent, skipping asynchronous events.
    std::optional<boost::json::value> answer(std::chrono::steady_clock::time_point deadline,
                                             std::string* error = nullptr) {
        while (auto msg = next(deadline)) {
            if (msg->contains("return")) return msg->at("return");
            if (const auto* e = msg->if_contains("error")) {
                if (error && e->is_object())
                    if (const auto* d = e->as_object().if_contains("desc"); d && d->is_string())
                        *error = std::string(d->as_string());
                return std::nullopt;
            }
        }
        if (error) *error = "no answer from QEMU";
        return std::nullopt;
    }

  private:
    void close_now() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    int fd_ = -1;
    std::string buffer_;
};

}  // namespace

std::optional<boost::json::value> qmp(const std::filesystem::path& socket,
                                      const std::string& command,
                                      std::chrono::milliseconds timeout) {
    return qmp(socket, command, boost::json::object{}, nullptr, timeout);
}

std::optional<boost::json::value> qmp(const std::filesystem::path& socket,
                                      const std::string& command,
                                      const boost::json::object& arguments, std::string* error,
                                      std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    Connection c(socket);
    const auto failed = [&](const char* why) -> std::optional<boost::json::value> {
        if (error) *error = why;
        return std::nullopt;
    };
    if (!c.ok()) return failed("the VM's QMP socket cannot be reached");
    if (!c.next(deadline)) return failed("no greeting from QEMU");
    if (!c.send(R"({"execute":"qmp_capabilities"})") || !c.answer(deadline))
        return failed("QMP negotiation failed");
    boost::json::object message{{"execute", command}};
    if (!arguments.empty()) message["arguments"] = arguments;
    if (!c.send(boost::json::serialize(message))) return failed("cannot write to QEMU");
    return c.answer(deadline, error);
}

}  // namespace linnet::compute
