// For tests: a migrated SQLite store in its own temporary folder, removed afterwards, with one
// write transaction open.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/database.hpp"

namespace linnet::store {

class TempStore {
  public:
    explicit TempStore(const std::string& name)
        : dir_(std::filesystem::temp_directory_path() /
               ("linnet-" + name + "-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(dir_);
        db_ = open_database("", dir_);
        tx_ = db_->begin(Access::write);
    }
    ~TempStore() {
        tx_.reset();
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    Transaction& tx() { return *tx_; }

  private:
    std::filesystem::path dir_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<Transaction> tx_;
};

}  // namespace linnet::store
