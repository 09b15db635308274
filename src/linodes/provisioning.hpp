// Creating Linodes and laying down their disks: the sane defaults of one-call creation (a boot
// disk from the image, a swap disk, one config profile), shared by the modern and alpha APIs.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "hosts/host_repository.hpp"
#include "linodes/addresses.hpp"
#include "linodes/vpc_interfaces.hpp"
#include "stackscripts/stackscripts.hpp"
#include "store/database.hpp"

namespace linnet::linodes {

struct NewLinode {
    // The hosts a placement group allows (strict: only those; flexible: those first).
    std::optional<hosts::Choice> placement;
    bool placement_strict = false;
    std::int64_t user_id = 0;
    std::string username;
    std::string region;
    std::string type;
    std::optional<std::string> label;
    std::optional<std::string> image;
    std::optional<std::string> root_pass;  // checked, handed to the driver, never stored
    std::vector<std::string> authorized_keys;
    bool booted = true;
    std::int64_t swap_size = 512;
    bool private_ip = false;
    // Unset: the account's default (/account/settings backups_enabled).
    std::optional<bool> backups_enabled;
    std::vector<std::string> tags;
    std::string group;
    std::optional<std::string> user_data;  // base64, for the Metadata service and cloud-init
    std::string disk_encryption = "disabled";
    boost::json::array interfaces;
    std::optional<stackscripts::Deployment> stackscript;  // run at the first boot
    // Which of the account's private images the caller may deploy (a condition on their number).
    std::pair<std::string, store::Params> images_visible{"1=1", {}};
    // Whether the driver writes the root password and keys into the disk (not the sim driver),
    // so that the job must carry them.
    bool keep_credentials = true;
};

struct Created {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
};

// Validates every field at once (400 naming each bad field) and creates the Linode in
// `provisioning`, with its addresses, disks, config and its linode_create job.
Created create_linode(store::Transaction& tx, const NewLinode& request, const Ipv4Pool& pool);

// A boot asked for while the Linode's create job still runs (the alpha API creates and then
// boots): the create job boots the Linode when its disks are ready, as a create with booted true
// does. False when no create job is pending.
bool boot_when_provisioned(store::Transaction& tx, std::int64_t linode_id);

// Puts what the driver writes into a new root disk into a job's payload: the root password's
// crypt(3) hash (never the password) and the SSH keys. The worker drops them when the job ends.
void add_credentials(boost::json::object& payload, const std::optional<std::string>& root_pass,
                     const std::vector<std::string>& authorized_keys);

// The password rule for root_pass: 7-128 characters and hard enough to guess.
std::optional<std::string> root_pass_problem(const std::string& password);

struct ImageDisks {
    std::int64_t boot_disk = 0;
    std::int64_t swap_disk = 0;
};
// A boot disk of the image (the plan's disk less swap, ext4) and a swap disk, both "not ready",
// and a config profile that boots them.
ImageDisks lay_down_image_disks(store::Transaction& tx, std::int64_t linode_id,
                                const boost::json::object& image, std::int64_t plan_disk,
                                std::int64_t swap_size, const boost::json::array& interfaces);

// A config profile document with the API's defaults, given its devices.
boost::json::object default_config(std::int64_t id, const std::string& label,
                                   const boost::json::object& devices,
                                   const boost::json::array& interfaces);
// Adds a config profile to the Linode, its vpc interfaces settled first (vpc_interfaces.hpp);
// `config` gets its id and settled interfaces.
std::int64_t insert_config(store::Transaction& tx, std::int64_t linode_id,
                           boost::json::object& config,
                           VpcAddressing addressing = VpcAddressing::as_asked);
// Saves a changed profile of the Linode, its vpc interfaces settled first; `before` is its list
// of interfaces as stored.
void save_config(store::Transaction& tx, std::int64_t linode_id, boost::json::object& config,
                 const boost::json::array& before, const InterfaceField& field = field_in_list);

std::int64_t insert_disk(store::Transaction& tx, std::int64_t linode_id, const std::string& label,
                         std::int64_t size, const std::string& filesystem,
                         const std::optional<std::string>& image, const std::string& status);

// The image the caller may deploy (public, or an available one of the account's that `visible`
// admits), or nullopt.
std::optional<boost::json::object> find_image(store::Transaction& tx, const std::string& id,
                                              const std::pair<std::string, store::Params>& visible);
// Why `image` cannot be deployed in `region` (a private image not kept there), or nothing.
std::optional<std::string> image_region_problem(const boost::json::object& image,
                                                const std::string& region);
// Whether the image has the cloud-init capability (user data may be given with it).
bool image_runs_cloud_init(const boost::json::object& image);

}  // namespace linnet::linodes
