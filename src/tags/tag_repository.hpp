// The account's tags (the tags table): the labels /tags lists. Which objects carry a tag is kept
// by each object's own repository (a Linode's in linode_tags).
#pragma once

#include <string>

#include "store/listing.hpp"

namespace linnet::tags {

class TagRepository {
  public:
    explicit TagRepository(store::Transaction& tx) : tx_(tx) {}

    // Adds the tag unless the account has it already.
    void add(const std::string& label);
    bool exists(const std::string& label);
    // Removes the tag; false when there was none.
    bool remove(const std::string& label);
    store::Listing listing();

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::tags
