// Durable commits that share their disk flushes. Each commit writes its pages to the write-ahead
// log under the writers' lock without flushing it (SQLite's synchronous=NORMAL); after the lock
// it waits for a flush of the log that began after it wrote. Commits that wait at the same time
// share one flush, and the next writer works while the disk flushes.
//
// A commit is visible to other connections before its flush ends, but commit() returns, and the
// request that made it is answered, only after. The log is one sequence of checksummed frames:
// after a crash of the machine the database holds a prefix of the commits, which includes every
// commit that returned.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>

namespace linnet::store {

class GroupCommit {
  public:
    // `log`: the database's write-ahead log, by its full name.
    explicit GroupCommit(std::filesystem::path log);
    ~GroupCommit();
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    // Called under the writers' lock, just after COMMIT: the commit's place in the log's order.
    std::uint64_t committed();
    // Returns once the commit of `ticket` is on disk; throws StoreError when the flush fails.
    void await(std::uint64_t ticket);
    // The flushes made so far (each covers every commit before it began).
    std::uint64_t flushes() const;
    const std::filesystem::path& log() const { return log_; }

  private:
    void flush();

    std::filesystem::path log_;
    mutable std::mutex mutex_;
    std::condition_variable flushed_;
    std::uint64_t committed_ = 0;
    std::uint64_t durable_ = 0;
    std::uint64_t flushes_ = 0;
    bool flushing_ = false;
    // The log as last opened (only the flushing thread touches these).
    int fd_ = -1;
    ino_t inode_ = 0;
};

}  // namespace linnet::store
