// An flock(2) on DATABASE.serve-lock; the holder's pid is written into the file for the message.
#include "store/serve_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/database.hpp"

namespace linnet::store {

ServeLock::~ServeLock() {
    ::close(fd_);
}

std::unique_ptr<ServeLock> ServeLock::acquire(const std::string& url,
                                              const std::filesystem::path& data_dir) {
    std::filesystem::path database;
    if (url.empty()) {
        std::filesystem::create_directories(data_dir);
        database = data_dir / "linnet.db";
    } else if (url.rfind("sqlite:", 0) == 0)
        database = url.substr(7);
    else
        return nullptr;
    const std::string path = database.string() + ".serve-lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw StoreError("cannot open " + path + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char holder[32] = {};
        const auto n = ::pread(fd, holder, sizeof holder - 1, 0);
        ::close(fd);
        const std::string pid = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : "?";
        throw StoreError("another linnetd (pid " + pid + ") already serves " + database.string() +
                         "; one SQLite file serves one linnetd: run several with --database "
                         "postgresql://...");
    }
    const std::string pid = std::to_string(::getpid());
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        // The lock holds regardless; the pid only improves the message a second server prints.
    }
    return std::unique_ptr<ServeLock>(new ServeLock(fd));
}

}  // namespace linnet::store
