// The Volumes aggregate's tables: volumes (one row per Block Storage Volume, shown from its
// columns) and volume_tags (its tags, one row each). Every statement on them lives in
// volume_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/listing.hpp"

namespace linnet::volumes {

struct Volume {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string label;
    std::string region;
    std::int64_t size = 20;  // GiB
    std::string status = "creating";
    std::optional<std::int64_t> linode_id;
    std::optional<std::string> linode_label;  // read with the volume; never written
    std::string encryption = "disabled";
    std::string hardware_type = "nvme";
    std::vector<std::string> tags;
    // The tags as the store has them (read by find, written by save): save rewrites the tag
    // rows only when `tags` differs.
    std::vector<std::string> stored_tags;
    std::string created;
    std::string updated;
};

class VolumeRepository {
  public:
    explicit VolumeRepository(store::Transaction& tx) : tx_(tx) {}

    // Inserts the volume into the transaction's account with its tags; answers its id.
    std::int64_t insert(const Volume& v);
    // The volume (of the scope's account, or any in the system scope); on engines that lock
    // rows, locked until the transaction ends.
    std::optional<Volume> find(std::int64_t id);
    // The same, without locking the volume: for what only reads it (a job's machine), since a
    // volume is locked after the Linode it is attached to.
    std::optional<Volume> find_unlocked(std::int64_t id);
    // Writes label, size, status, Linode, tags and the time of the change.
    void save(Volume& v);
    void remove(std::int64_t id);
    // Another volume of the account has this label.
    bool label_taken(const std::string& label, std::int64_t except_id);
    // How many volumes the Linode has attached.
    std::int64_t count_attached(std::int64_t linode_id);
    // The volumes that carry the tag.
    std::vector<Volume> tagged_with(const std::string& tag);
    // Every volume's id and label, by id.
    std::vector<std::pair<std::int64_t, std::string>> names();

    // The account's volumes as GET /volumes lists them, those that `visible` admits.
    static store::Listing listing(const std::pair<std::string, store::Params>& visible);
    // The volumes attached to one Linode.
    static store::Listing of_linode(std::int64_t linode_id,
                                    const std::pair<std::string, store::Params>& visible);
    // The account's volumes that carry a tag.
    static store::Listing tagged(const std::string& tag,
                                 const std::pair<std::string, store::Params>& visible);

  private:
    std::optional<Volume> read(const std::string& sql, std::int64_t id);
    store::Transaction& tx_;
};

// The document GET /volumes/{id} answers.
std::string render(const Volume& v);

}  // namespace linnet::volumes
