// A Linode as stored: its row, its document (what GET answers, rebuilt after every change), its
// status, and the names it may have.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::linodes {

struct Instance {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string label;
    std::string region;
    std::string type;
    std::optional<std::string> image;
    std::string status;
    std::string group;
    std::vector<std::string> tags;
    boost::json::object settings;  // alerts, backups, watchdog, specs, host_uuid, ...
    std::string created;
    std::string updated;
};

std::optional<Instance> find(store::Transaction& tx, std::int64_t id);
// The Linode or 404 "Not found".
Instance get(store::Transaction& tx, std::int64_t id);

// Writes the row's columns back and rebuilds the stored document.
void save(store::Transaction& tx, Instance& linode);
void set_status(store::Transaction& tx, std::int64_t id, const std::string& status);
// Rebuilds the stored document (after addresses, disks or the row changed).
void refresh(store::Transaction& tx, std::int64_t id);

// The API's label rule: 3-64 characters, letters, digits and -_. with no two separators in a
// row, beginning and ending with a letter or digit.
bool valid_label(std::string_view label);
// True when another Linode than `except` has this label.
bool label_taken(store::Transaction& tx, const std::string& label, std::int64_t except = 0);

// The type's document, or nullopt.
std::optional<boost::json::object> find_type(store::Transaction& tx, const std::string& id);
// {disk, memory, vcpus, gpus, transfer, accelerated_devices} of a type document.
boost::json::object specs_of(const boost::json::object& type);

// The document of a disk row (id, status, label, created, updated, filesystem, size).
std::string disk_doc(const store::Row& row);
constexpr const char* kDiskColumns =
    "id, label, status, size, filesystem, created, updated, linode_id, image";

// IP documents in the shape of /linode/instances/{id}/ips.
boost::json::object address_doc(const store::Row& row, const std::string& linode_label);
constexpr const char* kAddressColumns =
    "address, linode_id, family, kind, public, prefix, gateway, subnet_mask, region, rdns";

}  // namespace linnet::linodes
