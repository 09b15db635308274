// The images table (the catalog's public images, images built on this host and users' own):
// every statement on it lives in image_repository.cpp.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"
#include "store/listing.hpp"

namespace linnet::images {

// The columns of an image that a build on this host changes, and its document.
struct Image {
    std::string id;
    std::string status;
    std::int64_t size = 0;
    std::optional<std::string> built;  // when this host built it; nullopt for catalog images
    std::string doc;
};

class ImageRepository {
  public:
    explicit ImageRepository(store::Transaction& tx) : tx_(tx) {}

    // Stores an image of the embedded catalog at position `sort`; an image this host built keeps
    // its own row.
    void save_catalog_image(const boost::json::object& doc, std::int64_t sort);

    // Public images, plus the viewer's own (no viewer: public images only).
    store::Listing visible_to(std::optional<std::int64_t> viewer);
    // An image that `user_id` may deploy: a public one or their own.
    std::optional<boost::json::object> find_usable(const std::string& id, std::int64_t user_id);

    std::optional<Image> find(const std::string& id);
    // A host build begins: the image exists already (its status and document change) or is
    // added as a public manual image.
    void mark_creating(const std::string& id, const std::string& built, const std::string& doc);
    void add_creating(const std::string& id, const std::string& label, const std::string& created,
                      const std::string& doc);
    // A host build is done.
    void mark_available(const std::string& id, std::int64_t size_mb, const std::string& now,
                        const std::string& doc);
    // Puts back what find() answered before a build that failed.
    void restore(const Image& image);
    void remove(const std::string& id);

    // The images of one user pass to another (a user is deleted; the account keeps them).
    void reassign_owner(std::int64_t from_user, std::int64_t to_user);

  private:
    // The image's tags as rows of image_tags (what the "tags" filter reads), from its document.
    void sync_tags(const std::string& id);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::images
