#include "store/sqlite/group_commit.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "store/database.hpp"

namespace linnet::store {

GroupCommit::GroupCommit(std::filesystem::path log) : log_(std::move(log)) {}

GroupCommit::~GroupCommit() {
    if (fd_ >= 0) ::close(fd_);
}

std::uint64_t GroupCommit::committed() {
    std::lock_guard lock(mutex_);
    return ++committed_;
}

std::uint64_t GroupCommit::flushes() const {
    std::lock_guard lock(mutex_);
    return flushes_;
}

void GroupCommit::await(std::uint64_t ticket) {
    std::unique_lock lock(mutex_);
    while (durable_ < ticket) {
        if (flushing_) {
            flushed_.wait(lock);
            continue;
        }
        // This thread flushes for every commit made so far, its own among them.
        flushing_ = true;
        const std::uint64_t covered = committed_;
        lock.unlock();
        try {
            flush();
        } catch (...) {
            lock.lock();
            flushing_ = false;
            flushed_.notify_all();
            throw;
        }
        lock.lock();
        flushing_ = false;
        ++flushes_;
        if (covered > durable_) durable_ = covered;
        flushed_.notify_all();
    }
}

void GroupCommit::flush() {
    struct stat now {};
    if (::stat(log_.c_str(), &now) != 0) {
        // SQLite removes the log only after copying it into the database file and flushing that.
        if (errno == ENOENT) return;
        throw StoreError("cannot find the write-ahead log " + log_.string() + ": " +
                         std::strerror(errno));
    }
    // The log is a new file when the last connection closed and a new one opened: a log
    // removed that way was copied into the database file and flushed there first.
    if (fd_ < 0 || now.st_ino != inode_) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = ::open(log_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) {
            if (errno == ENOENT) return;
            throw StoreError("cannot open the write-ahead log " + log_.string() + ": " +
                             std::strerror(errno));
        }
        struct stat opened {};
        ::fstat(fd_, &opened);
        inode_ = opened.st_ino;
    }
    if (::fdatasync(fd_) != 0)
        throw StoreError("cannot flush the write-ahead log " + log_.string() + ": " +
                         std::strerror(errno));
}

}  // namespace linnet::store
