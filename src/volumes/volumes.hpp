// Block Storage Volumes: the rules of creating, attaching, detaching, resizing, cloning and
// deleting them, and the jobs and events each one starts. A volume lives in one region, is
// attached to at most one Linode of that region, and holds a device slot (sdb..sdh) of one of
// that Linode's configs while attached; a Linode holds at most eight. A deleted Linode's volumes
// are detached by the store itself (volumes.linode_id is ON DELETE SET NULL).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jobs/events.hpp"
#include "store/database.hpp"
#include "volumes/volume_repository.hpp"

namespace linnet::volumes {

inline constexpr std::int64_t kMinSize = 10;
inline constexpr std::int64_t kMaxSize = 10240;
inline constexpr int kMostPerLinode = 8;
// Past 8, volumes that do not persist across boots: one per GB of the Linode's memory, at most 64.
inline constexpr int kMostNotPersisting = 64;

// Who asked, for events.
struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

struct NewVolume {
    std::string label;
    std::optional<std::string> region;
    std::int64_t size = 20;
    std::optional<std::int64_t> linode_id;
    std::optional<std::int64_t> config_id;
    std::string encryption = "disabled";
    std::vector<std::string> tags;
};

// Why `label` is not a volume label (1-32 characters, a letter first, then letters, digits, '-'
// and '_' with no "--" or "__"), or nothing.
std::optional<std::string> label_problem(const std::string& label);

// 400 naming the field for each broken rule; the volume is `creating` and its volume_create
// job and event are queued. With a Linode it is attached from the start.
Volume create(store::Transaction& tx, const Actor& actor, const NewVolume& request);

// Attaches an active, unattached volume to a Linode of its region, in `config_id` (or the
// Linode's first config); persist_across_boots false keeps it out of every config.
void attach(store::Transaction& tx, const Actor& actor, Volume& volume, std::int64_t linode_id,
            std::optional<std::int64_t> config_id, bool persist_across_boots);
void detach(store::Transaction& tx, const Actor& actor, Volume& volume);
// Grows the volume to `size` GiB (never shrinks it).
void resize(store::Transaction& tx, const Actor& actor, Volume& volume, std::int64_t size);
// A new, unattached volume with the source's region, size and data; answers it.
Volume clone(store::Transaction& tx, const Actor& actor, const Volume& source,
             const std::string& label);
// Deletes an unattached volume; its backing is released by a volume_delete job.
void remove(store::Transaction& tx, const Actor& actor, const Volume& volume);
// The volume's label, tags: the label must stay unique in the account.
void update(store::Transaction& tx, const Actor& actor, Volume& volume);

jobs::Entity volume_entity(const Volume& volume);

}  // namespace linnet::volumes
