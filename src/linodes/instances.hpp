// Linodes as the rest of Linnet uses them: found, saved, their status set, their names checked.
// The statements are the repositories' (linode_repository, disk_repository, ...).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "linodes/linode_repository.hpp"
#include "store/database.hpp"

namespace linnet::linodes {

std::optional<Instance> find(store::Transaction& tx, std::int64_t id);
// The Linode or 404 "Not found".
Instance get(store::Transaction& tx, std::int64_t id);

// Writes the Linode back and rebuilds its stored document.
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

}  // namespace linnet::linodes
