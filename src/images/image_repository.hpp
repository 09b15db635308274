// The images table (the catalog's public images, images built on this host and users' own):
// every statement on it lives in image_repository.cpp.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// One region an image is kept in.
struct ImageRegion {
    std::string region;
    std::string status;  // "available", "pending replication", "pending deletion"
};

// An image of an account (private/N): captured from a disk or uploaded. Its document is made
// from these fields by save_private, the one place that writes it.
struct PrivateImage {
    std::string id;
    std::int64_t number = 0;
    std::int64_t account_id = 0;
    std::int64_t owner_user_id = 0;
    std::string label;
    std::string description;
    std::string created_by;           // the owner's username
    std::string status = "creating";  // creating, pending_upload, available
    std::int64_t size = 0;            // MB
    bool cloud_init = false;
    std::vector<std::string> tags;
    std::vector<ImageRegion> regions;
    std::optional<std::string> source_image;  // the image the captured disk was made from
    std::string created;
    std::string updated;
};

class ImageRepository {
  public:
    explicit ImageRepository(store::Transaction& tx) : tx_(tx) {}

    // Stores an image of the embedded catalog at position `sort`; an image this host built keeps
    // its own row.
    void save_catalog_image(const boost::json::object& doc, std::int64_t sort);

    // Public images, plus the account's own that `visible` (a condition on their number)
    // admits; in the scope of no account, public images only.
    static store::Listing visible_to(const std::pair<std::string, store::Params>& visible);
    // An image the caller may deploy (its document): a public one, or an available one of the
    // account's that `visible` admits.
    std::optional<boost::json::object> find_usable(
        const std::string& id, const std::pair<std::string, store::Params>& visible);
    // Announces find_usable's read (Transaction::read_ahead).
    void read_ahead_usable(const std::string& id,
                           const std::pair<std::string, store::Params>& visible);

    // A number for a new private image (private/N).
    std::int64_t next_number();
    // Writes a new private image of the transaction's account.
    void insert_private(PrivateImage& image);
    // A private image of the scope's account.
    std::optional<PrivateImage> find_private(const std::string& id);
    // Writes every field of the private image, its tags, regions and document.
    void save_private(PrivateImage& image);
    void remove_private(const std::string& id);
    // The account's private images' numbers and labels (for grants).
    std::vector<std::pair<std::int64_t, std::string>> private_names();
    // An upload's secret (its hash), when it expires (unix seconds) and its region.
    void set_upload(const std::string& id, const std::string& secret_hash, std::int64_t expires,
                    const std::string& region);
    // The image an upload secret opens, while it is pending and the secret has not expired, and
    // the region it goes to; in any scope (the upload's URL carries no token).
    std::optional<std::pair<PrivateImage, std::string>> find_by_upload(
        std::int64_t number, const std::string& secret_hash, std::int64_t now);
    void end_upload(const std::string& id);

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
