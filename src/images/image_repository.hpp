// The images table (the catalog's public images, images built on this host and users' own):
// every statement on it lives in image_repository.cpp.
#pragma once

#include <cstdint>

#include "store/database.hpp"

namespace linnet::images {

class ImageRepository {
  public:
    explicit ImageRepository(store::Transaction& tx) : tx_(tx) {}

    // The images of one user pass to another (a user is deleted; the account keeps them).
    void reassign_owner(std::int64_t from_user, std::int64_t to_user);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::images
