// One server per SQLite file: `linnetd serve` holds an exclusive lock beside the database for as
// long as it runs, and a second one on the same file is refused. Admin subcommands (token
// create, user create, ...) take no such lock: SQLite itself orders their short writes. Several
// server processes need PostgreSQL, whose databases take no lock here.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace linnet::store {

class ServeLock {
  public:
    ~ServeLock();
    ServeLock(const ServeLock&) = delete;
    ServeLock& operator=(const ServeLock&) = delete;

    // Takes the lock for the database `url` opens (see open_database); nullptr for PostgreSQL.
    // Throws StoreError naming the holder when another process serves the same file.
    static std::unique_ptr<ServeLock> acquire(const std::string& url,
                                              const std::filesystem::path& data_dir);

  private:
    explicit ServeLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace linnet::store
