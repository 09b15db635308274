// One-call Linode creation.
#include "linodes/provisioning.hpp"

#include <cmath>
#include <set>

#include "account/accounts.hpp"
#include "backups/backups.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/filter/filter_sql.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "hosts/placement.hpp"
#include "images/image_repository.hpp"
#include "jobs/events.hpp"
#include "jobs/job_repository.hpp"
#include "jobs/jobs.hpp"
#include "linodes/address_repository.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/disk_repository.hpp"
#include "linodes/instances.hpp"
#include "linodes/machine.hpp"
#include "metadata/metadata_repository.hpp"
#include "store/reserved_ids.hpp"
#include "tags/tag_repository.hpp"

namespace linnet::linodes {

namespace json = boost::json;

namespace {

const std::set<std::string>& common_passwords() {
    static const std::set<std::string> list = {
        "password",   "password1", "password123", "123456789", "1234567890", "qwertyuiop",
        "letmein123", "iloveyou",  "admin12345",  "changeme",  "welcome123", "p@ssw0rd",
        "passw0rd",   "qwerty123", "abc123456",   "11111111",  "00000000",   "trustno1"};
    return list;
}

json::object default_settings(const json::object& type, const NewLinode& r, bool backups) {
    const std::int64_t vcpus = type.at("vcpus").to_number<std::int64_t>();
    return json::object{
        {"specs", specs_of(type)},
        {"alerts", json::object{{"cpu", 90 * vcpus},
                                {"network_in", 10},
                                {"network_out", 10},
                                {"transfer_quota", 80},
                                {"io", 10000}}},
        {"backups", json::object{{"enabled", backups},
                                 {"available", backups},
                                 {"schedule", json::object{{"day", nullptr}, {"window", nullptr}}},
                                 {"last_successful", nullptr}}},
        {"watchdog_enabled", true},
        {"has_user_data", r.user_data.has_value()},
        {"disk_encryption", r.disk_encryption}};
}

// The linode_boot event of a create that boots: scheduled now, started by the job once the
// create's part is done.
std::int64_t schedule_boot_event(store::Transaction& tx, std::int64_t linode_id,
                                 const std::string& label, std::int64_t user_id,
                                 const std::string& username) {
    return jobs::record_event(tx, {"linode_boot", jobs::linode_entity(linode_id, label),
                                   std::nullopt, "scheduled", user_id, username, ""});
}

}  // namespace

void add_credentials(json::object& payload, const std::optional<std::string>& root_pass,
                     const std::vector<std::string>& authorized_keys) {
    if (root_pass) payload["root_hash"] = root_hash(*root_pass);
    json::array keys;
    for (const auto& k : authorized_keys) keys.push_back(json::string(k));
    if (!keys.empty()) payload["authorized_keys"] = std::move(keys);
}

std::optional<std::string> root_pass_problem(const std::string& pw) {
    if (pw.size() < 7 || pw.size() > 128) return "root_pass must be between 7 and 128 characters";
    bool lower = false, upper = false, digit = false, other = false;
    std::set<char> distinct;
    for (char c : pw) {
        distinct.insert(c);
        if (std::islower(static_cast<unsigned char>(c)))
            lower = true;
        else if (std::isupper(static_cast<unsigned char>(c)))
            upper = true;
        else if (std::isdigit(static_cast<unsigned char>(c)))
            digit = true;
        else
            other = true;
    }
    const double alphabet =
        (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
    const double bits = static_cast<double>(pw.size()) * std::log2(std::max(alphabet, 2.0));
    std::string folded;
    for (char c : pw)
        folded.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    const int classes = lower + upper + digit + other;
    if (bits < 40 || classes < 2 || distinct.size() < 5 || common_passwords().count(folded))
        return "Password does not meet strength requirement.";
    return std::nullopt;
}

std::optional<json::object> find_image(store::Transaction& tx, const std::string& id,
                                       const std::pair<std::string, store::Params>& visible) {
    return images::ImageRepository(tx).find_usable(id, visible);
}

bool image_runs_cloud_init(const json::object& image) {
    const auto* caps = image.if_contains("capabilities");
    if (caps == nullptr || !caps->is_array()) return false;
    for (const auto& c : caps->as_array())
        if (c.is_string() && c.as_string() == "cloud-init") return true;
    return false;
}

std::optional<std::string> image_region_problem(const json::object& image,
                                                const std::string& region) {
    // Public images are in every region.
    const auto* id = image.if_contains("id");
    if (id == nullptr || !id->is_string() || !id->as_string().starts_with("private/"))
        return std::nullopt;
    const auto* regions = image.if_contains("regions");
    if (regions == nullptr || !regions->is_array()) return std::nullopt;
    for (const auto& r : regions->as_array()) {
        const auto& o = r.as_object();
        if (o.at("region") == region.c_str() && o.at("status") == "available") return std::nullopt;
    }
    return "Image " + std::string(image.at("id").as_string()) + " is not available in region " +
           region;
}

std::int64_t insert_disk(store::Transaction& tx, std::int64_t linode_id, const std::string& label,
                         std::int64_t size, const std::string& filesystem,
                         const std::optional<std::string>& image, const std::string& status) {
    return DiskRepository(tx).insert(linode_id, label, size, filesystem, image, status);
}

json::object default_config(std::int64_t id, const std::string& label, const json::object& devices,
                            const json::array& interfaces) {
    json::object all_devices;
    for (const char* slot : {"sda", "sdb", "sdc", "sdd", "sde", "sdf", "sdg", "sdh"}) {
        const auto* d = devices.if_contains(slot);
        all_devices[slot] = d ? *d : json::value(nullptr);
    }
    const std::string now = now_utc();
    return json::object{{"id", id},
                        {"label", label},
                        {"helpers", json::object{{"updatedb_disabled", true},
                                                 {"distro", true},
                                                 {"modules_dep", true},
                                                 {"network", true},
                                                 {"devtmpfs_automount", true}}},
                        {"kernel", "linode/grub2"},
                        {"comments", ""},
                        {"memory_limit", 0},
                        {"created", now},
                        {"updated", now},
                        {"root_device", "/dev/sda"},
                        {"devices", std::move(all_devices)},
                        {"initrd", nullptr},
                        {"run_level", "default"},
                        {"virt_mode", "paravirt"},
                        {"interfaces", interfaces}};
}

std::int64_t insert_config(store::Transaction& tx, std::int64_t linode_id, json::object& config,
                           VpcAddressing addressing) {
    if (auto* list = config.if_contains("interfaces"); list && list->is_array())
        settle_vpc_interfaces(tx, linode_id, 0, list->as_array(), {}, field_in_list, addressing);
    const std::int64_t id = ConfigRepository(tx).insert(linode_id, config);
    config["id"] = id;
    return id;
}

void save_config(store::Transaction& tx, std::int64_t linode_id, json::object& config,
                 const json::array& before, const InterfaceField& field) {
    if (auto* list = config.if_contains("interfaces"); list && list->is_array())
        settle_vpc_interfaces(tx, linode_id, config.at("id").as_int64(), list->as_array(), before,
                              field);
    ConfigRepository(tx).save(config);
}

ImageDisks lay_down_image_disks(store::Transaction& tx, std::int64_t linode_id,
                                const json::object& image, std::int64_t plan_disk,
                                std::int64_t swap_size, const json::array& interfaces) {
    const std::string image_id(image.at("id").as_string());
    const std::string image_label(image.at("label").as_string());
    std::vector<Disk> wanted(1);
    wanted[0].label = image_label + " Disk";
    wanted[0].size = plan_disk - swap_size;
    wanted[0].filesystem = "ext4";
    wanted[0].image = image_id;
    if (swap_size > 0) {
        Disk& swap = wanted.emplace_back();
        swap.label = std::to_string(swap_size) + " MB Swap Image";
        swap.size = swap_size;
        swap.filesystem = "swap";
    }
    for (auto& disk : wanted) disk.status = "not ready";
    const auto ids = DiskRepository(tx).insert_all(linode_id, wanted);
    ImageDisks d;
    d.boot_disk = ids.at(0);
    json::object devices{{"sda", json::object{{"disk_id", d.boot_disk}, {"volume_id", nullptr}}}};
    if (swap_size > 0) {
        d.swap_disk = ids.at(1);
        devices["sdb"] = json::object{{"disk_id", d.swap_disk}, {"volume_id", nullptr}};
    }
    auto config = default_config(0, "My " + image_label + " Disk Profile", devices, interfaces);
    insert_config(tx, linode_id, config);
    return d;
}

Created create_linode(store::Transaction& tx, const NewLinode& r, const Ipv4Pool& pool) {
    LinodeRepository linodes(tx);
    // A Linode without a label of its own is named after its id: the id is set aside with the
    // reads below, and so are its address's start and the ids of its events and config (one
    // round trip on PostgreSQL, where the rows then go without waiting for an answer).
    if (!r.label) linodes.read_ahead_next_id();
    AddressRepository(tx).read_ahead_cursor();
    store::reserve_ids(tx, "events", r.image && r.booted ? 2 : 1);
    if (r.image) store::reserve_ids(tx, "configs");
    // The account's settings are the first read: what was announced above goes with it.
    const bool backups = r.backups_enabled ? *r.backups_enabled : account::backups_by_default(tx);
    std::vector<ErrorDetail> problems;
    auto type = find_type(tx, r.type);
    if (!type) problems.push_back({"A valid plan type by that ID was not found", "type"});
    auto region = catalog::CatalogRepository(tx).find_region_capabilities(r.region);
    if (!region || !region->has("Linodes")) problems.push_back({"region is not valid", "region"});
    std::optional<json::object> image;
    if (r.image) {
        image = find_image(tx, *r.image, r.images_visible);
        if (!image)
            problems.push_back({"image is not valid", "image"});
        else if (auto problem = image_region_problem(*image, r.region))
            problems.push_back({*problem, "image"});
        if (!r.root_pass) problems.push_back({"root_pass is required", "root_pass"});
        if (image && r.user_data && !image_runs_cloud_init(*image))
            problems.push_back(
                {"The image does not support cloud-init: user_data needs an image "
                 "with the cloud-init capability",
                 "metadata.user_data"});
    }
    if (r.root_pass)
        if (auto problem = root_pass_problem(*r.root_pass))
            problems.push_back({*problem, "root_pass"});
    if (r.label) {
        if (!valid_label(*r.label))
            problems.push_back(
                {"Label must be 3-64 characters of letters, numbers, hyphens, underscores or "
                 "periods, start and end with a letter or number, and not repeat - _ or .",
                 "label"});
        else if (label_taken(tx, *r.label))
            problems.push_back({"Label must be unique among your Linodes", "label"});
    }
    if (type && image) {
        const std::int64_t plan_disk = type->at("disk").to_number<std::int64_t>();
        const std::int64_t needed = image->at("size").to_number<std::int64_t>();
        if (r.swap_size < 0 || plan_disk - r.swap_size < needed)
            problems.push_back(
                {"swap_size leaves too little room for the image on this plan", "swap_size"});
    }
    if (!problems.empty()) throw errors::invalid(std::move(problems));

    Instance linode;
    linode.account_id = tx.scope().account_id();
    linode.user_id = r.user_id;
    if (r.label) {
        linode.label = *r.label;
    } else {
        const auto next = linodes.next_id();
        const std::string named = "linode" + std::to_string(next.id);
        linode.id = next.id;
        linode.label = named;
        // Taken by a Linode labelled so by its owner: the first free "-N" after it.
        bool taken = next.default_label_taken;
        for (int n = 2; taken; ++n) {
            linode.label = named + "-" + std::to_string(n);
            taken = label_taken(tx, linode.label);
        }
    }
    linode.region = r.region;
    linode.type = r.type;
    linode.image = r.image;
    linode.status = "provisioning";
    linode.group = r.group;
    linode.settings = default_settings(*type, r, backups);
    std::optional<hosts::Host> chosen;
    if (auto keep = segment_host(tx, linode.account_id, r.region, r.interfaces, 0)) {
        // A private network of the qemu driver is one host's: the Linode joins its host.
        hosts::Choice choice = r.placement.value_or(hosts::Choice{});
        if (choice.only && *choice.only != *keep)
            throw errors::bad_request(
                "The Linode's placement group and its private network are on different hosts",
                "interfaces");
        choice.only = keep;
        chosen = hosts::place_among(tx, r.region, *type, choice);
        if (!chosen)
            throw errors::bad_request(
                "The host of the Linode's private network has no room for this Linode",
                "interfaces");
    } else if (r.placement) {
        chosen = hosts::place_among(tx, r.region, *type, *r.placement);
        if (!chosen && r.placement_strict)
            throw errors::bad_request(
                "No host of the region has room for this Linode where its "
                "strict placement group allows it",
                "placement_group");
    }
    const hosts::Host host = chosen ? *chosen : hosts::place(tx, r.region, *type);
    linode.host_id = host.id;
    linode.settings["host_uuid"] = host.uuid;
    linode.created = linode.updated = now_utc();
    const std::int64_t id = linodes.insert(linode);
    linode.tags = r.tags;
    for (const auto& tag : r.tags) tags::TagRepository(tx).add(tag);

    allocate_ipv4(tx, pool, id, r.region, true);
    if (r.private_ip) allocate_ipv4(tx, private_pool(), id, r.region, false);
    assign_ipv6(tx, id, r.region);

    if (image)
        lay_down_image_disks(tx, id, *image, type->at("disk").to_number<std::int64_t>(),
                             r.swap_size, r.interfaces);
    save(tx, linode);
    if (backups) {
        linode.id = id;
        backups::enroll_new(tx, linode);
    }

    const std::int64_t event_id = jobs::record_event(
        tx, {"linode_create", jobs::linode_entity(id, linode.label),
             image ? std::optional<jobs::Entity>(jobs::Entity{
                         json::string(*r.image), "image",
                         std::string(image->at("label").as_string()), "/v4/images/" + *r.image})
                   : std::nullopt,
             "scheduled", r.user_id, r.username, ""});
    const bool boots = image && r.booted;
    json::object payload{{"booted", boots},
                         {"final_status", boots ? "running" : "offline"},
                         {"fallback_status", "offline"}};
    if (r.keep_credentials) add_credentials(payload, r.root_pass, r.authorized_keys);
    metadata::MetadataRepository(tx).deploy_new(id, r.user_data, r.authorized_keys);
    if (r.stackscript) {
        stackscripts::record_deployment(tx, *r.stackscript, id);
        if (r.keep_credentials) stackscripts::add_deployment(payload, *r.stackscript);
    }
    // A create that boots shows its boot as an event of its own, scheduled now and started when
    // the disks are ready, as Linode's events do (waiters of the SDKs look for it).
    if (boots)
        payload[jobs::kBootEvent] =
            schedule_boot_event(tx, id, linode.label, r.user_id, r.username);
    jobs::enqueue(tx, "linode_create", id, event_id, payload);
    return {id, event_id};
}

bool boot_when_provisioned(store::Transaction& tx, std::int64_t linode_id) {
    jobs::JobRepository jobs(tx);
    auto create = jobs.find_active_on(linode_id, "linode_create");
    if (!create) return false;
    // A create without an image has nothing to boot.
    if (!ConfigRepository(tx).first_id(linode_id))
        throw errors::bad_request("Linode has no config profile to boot.");
    auto payload = create->payload;
    payload["booted"] = true;
    payload["final_status"] = "running";
    if (!payload.contains(jobs::kBootEvent)) {
        const auto linode = LinodeRepository(tx).find(linode_id);
        payload[jobs::kBootEvent] = schedule_boot_event(tx, linode_id, linode ? linode->label : "",
                                                        linode ? linode->user_id : 0, "");
    }
    jobs.set_payload(create->id, payload);
    return true;
}

}  // namespace linnet::linodes
