// A Linode's disks (the disks table): every statement on it lives in disk_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/listing.hpp"

namespace linnet::linodes {

struct Disk {
    std::int64_t id = 0;
    std::int64_t linode_id = 0;
    std::string label;
    std::string status;  // ready | not ready | deleting
    std::int64_t size = 0;
    std::string filesystem;
    std::optional<std::string> image;
    std::string created;
    std::string updated;
};

// The document of a disk as /linode/instances/{id}/disks/{diskId} answers it.
std::string disk_doc(const Disk& disk);

class DiskRepository {
  public:
    explicit DiskRepository(store::Transaction& tx) : tx_(tx) {}

    std::optional<Disk> find(std::int64_t id);
    // The disk only when it belongs to the Linode.
    std::optional<Disk> find_of(std::int64_t linode_id, std::int64_t id);
    std::vector<Disk> of_linode(std::int64_t linode_id);
    // Announces of_linode's read (Transaction::read_ahead).
    void read_ahead_of_linode(std::int64_t linode_id);
    std::int64_t total_size(std::int64_t linode_id);

    // Adds a disk; answers its id.
    std::int64_t insert(std::int64_t linode_id, const std::string& label, std::int64_t size,
                        const std::string& filesystem, const std::optional<std::string>& image,
                        const std::string& status);
    // Adds the disks (their label, size, filesystem, image and status) to the Linode in one
    // statement; answers their ids in the same order.
    std::vector<std::int64_t> insert_all(std::int64_t linode_id, const std::vector<Disk>& disks);
    void set_label(std::int64_t id, const std::string& label);
    void set_status(std::int64_t id, const std::string& status);
    void set_size(std::int64_t id, std::int64_t size);
    // Every "not ready" disk of the Linode becomes ready.
    void ready_all(std::int64_t linode_id);
    void remove(std::int64_t id);
    void remove_all(std::int64_t linode_id);

    store::Listing listing(std::int64_t linode_id);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::linodes
