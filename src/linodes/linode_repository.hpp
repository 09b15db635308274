// The Linodes aggregate's tables (linodes, linode_tags, linode_docs, disks, configs, ips,
// address_cursors): every statement on them lives in linode_repository.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::linodes {

struct LinodeName {
    std::int64_t id = 0;
    std::string label;
};

class LinodeRepository {
  public:
    explicit LinodeRepository(store::Transaction& tx) : tx_(tx) {}

    bool exists(std::int64_t id);
    // Every Linode's id and label, by id.
    std::vector<LinodeName> names();
    std::vector<std::int64_t> ids_with_status(const std::string& status);
    // The Linodes of one user pass to another (a user is deleted; the account keeps them).
    void reassign_owner(std::int64_t from_user, std::int64_t to_user);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::linodes
