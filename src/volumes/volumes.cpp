// The rules of a volume's life, and the jobs and events they start.
#include "volumes/volumes.hpp"

#include <algorithm>

#include "billing/meter.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "jobs/job_repository.hpp"
#include "jobs/jobs.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/instances.hpp"
#include "tags/tag_repository.hpp"

namespace linnet::volumes {

namespace json = boost::json;

namespace {

// The config slots a volume may take, in the order they are given.
constexpr const char* kSlots[] = {"sdb", "sdc", "sdd", "sde", "sdf", "sdg", "sdh"};

std::int64_t start_job(store::Transaction& tx, const Actor& actor, const std::string& action,
                       const Volume& volume, json::object payload,
                       std::optional<jobs::Entity> secondary = std::nullopt) {
    const std::int64_t event_id =
        jobs::record_event(tx, {action, volume_entity(volume), std::move(secondary), "scheduled",
                                actor.user_id, actor.username, ""});
    payload["volume_id"] = volume.id;
    jobs::enqueue(tx, action, std::nullopt, event_id, payload, volume.id);
    return event_id;
}

void notify(store::Transaction& tx, const Actor& actor, const std::string& action,
            const Volume& volume) {
    jobs::record_event(tx, {action, volume_entity(volume), std::nullopt, "notification",
                            actor.user_id, actor.username, ""});
}

// A volume job still runs on it (its creation, a resize, an attach or a detach).
bool busy(store::Transaction& tx, const Volume& volume) {
    return jobs::JobRepository(tx).volume_busy(volume.id);
}

void require_idle(store::Transaction& tx, const Volume& volume) {
    if (volume.status != "active" || busy(tx, volume))
        throw errors::bad_request("Volume is busy; try again once its status is active.");
}

// Puts the volume in the config's first free slot; 400 when none is free.
void add_to_config(store::Transaction& tx, json::object& config, std::int64_t volume_id) {
    auto& devices = config["devices"].as_object();
    for (const char* slot : kSlots) {
        auto& device = devices[slot];
        if (device.is_null()) {
            device = json::object{{"disk_id", nullptr}, {"volume_id", volume_id}};
            config["updated"] = now_utc();
            linodes::ConfigRepository(tx).save(config);
            return;
        }
    }
    throw errors::bad_request("The config profile has no free device slot for the volume",
                              "config_id");
}

// The config a volume attaches through: the one named, or the Linode's first.
json::object config_for(store::Transaction& tx, std::int64_t linode_id,
                        std::optional<std::int64_t> config_id) {
    linodes::ConfigRepository configs(tx);
    if (config_id) {
        auto config = configs.find_of(linode_id, *config_id);
        if (!config) throw errors::bad_request("Config not found for this Linode", "config_id");
        return *config;
    }
    auto all = configs.of_linode(linode_id);
    if (all.empty())
        throw errors::bad_request("The Linode has no config profile to attach the volume to",
                                  "linode_id");
    return all.front();
}

// How many volumes the Linode may have: 8, or as many as it has GB of memory (at most 64) when
// the ones past 8 do not persist across boots.
std::int64_t most_volumes(const linodes::Instance& linode, bool persist_across_boots) {
    if (persist_across_boots) return kMostPerLinode;
    const auto* memory = linode.settings.at("specs").as_object().if_contains("memory");
    const std::int64_t gb = memory ? memory->to_number<std::int64_t>() / 1024 : 0;
    return std::clamp<std::int64_t>(gb, kMostPerLinode, kMostNotPersisting);
}

// The Linode a volume attaches to, with the rules every attach shares.
linodes::Instance attachable_linode(store::Transaction& tx, std::int64_t linode_id,
                                    const std::string& region, bool persist_across_boots) {
    auto linode = linodes::find(tx, linode_id);
    if (!linode) throw errors::bad_request("Linode not found", "linode_id");
    if (linode->region != region)
        throw errors::bad_request("Volume and Linode must be in the same region", "linode_id");
    if (linode->status == "deleting" || linode->status == "provisioning")
        throw errors::bad_request("Linode busy.", "linode_id");
    const std::int64_t most = most_volumes(*linode, persist_across_boots);
    if (VolumeRepository(tx).count_attached(linode_id) >= most)
        throw errors::bad_request(
            persist_across_boots
                ? "A Linode may have at most 8 volumes attached that persist across boots"
                : "This Linode may have at most " + std::to_string(most) +
                      " volumes attached (one per GB of memory past 8, at most 64)",
            "linode_id");
    return *linode;
}

void check_label(store::Transaction& tx, const std::string& label, std::int64_t except_id) {
    if (auto problem = label_problem(label)) throw errors::bad_request(*problem, "label");
    if (VolumeRepository(tx).label_taken(label, except_id))
        throw errors::bad_request("Label must be unique among your volumes", "label");
}

void record_tags(store::Transaction& tx, const std::vector<std::string>& tags) {
    tags::TagRepository repo(tx);
    for (const auto& tag : tags) repo.add(tag);
}

}  // namespace

std::optional<std::string> label_problem(const std::string& label) {
    const auto bad = std::string(
        "Label must be 2-32 characters of letters, numbers, hyphens and underscores, start with "
        "a letter, and have no two hyphens or underscores in a row");
    if (label.size() < 2 || label.size() > 32) return bad;
    if (!std::isalpha(static_cast<unsigned char>(label.front()))) return bad;
    for (std::size_t i = 0; i < label.size(); ++i) {
        const char c = label[i];
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return bad;
        if (i > 0 && (c == '-' || c == '_') && label[i - 1] == c) return bad;
    }
    return std::nullopt;
}

jobs::Entity volume_entity(const Volume& volume) {
    return {volume.id, "volume", volume.label, "/v4/volumes/" + std::to_string(volume.id)};
}

Volume create(store::Transaction& tx, const Actor& actor, const NewVolume& request) {
    std::vector<ErrorDetail> problems;
    const auto fail = [&](std::string field, std::string reason) {
        problems.push_back({std::move(reason), std::move(field)});
    };
    if (auto problem = label_problem(request.label))
        fail("label", *problem);
    else if (VolumeRepository(tx).label_taken(request.label, 0))
        fail("label", "Label must be unique among your volumes");
    if (request.size < kMinSize || request.size > kMaxSize)
        fail("size", "Size must be between 10 and 10240 (GiB)");
    if (request.encryption != "enabled" && request.encryption != "disabled")
        fail("encryption", "encryption must be enabled or disabled");
    if (request.config_id && !request.linode_id)
        fail("config_id", "config_id may only be given with linode_id");
    std::optional<linodes::Instance> linode;
    std::string region = request.region.value_or("");
    if (request.linode_id) {
        linode = linodes::find(tx, *request.linode_id);
        if (!linode)
            fail("linode_id", "Linode not found");
        else if (request.region && *request.region != linode->region)
            fail("region", "Volume and Linode must be in the same region");
        else
            region = linode->region;
    } else if (!request.region) {
        fail("region", "region is required when no linode_id is given");
    }
    if (!region.empty()) {
        auto capabilities = catalog::CatalogRepository(tx).find_region_capabilities(region);
        if (!capabilities)
            fail("region", "region is not valid");
        else if (!capabilities->has("Block Storage"))
            fail("region", "Block Storage is not available in this region");
        else if (request.encryption == "enabled" && !capabilities->has("Block Storage Encryption"))
            fail("encryption", "Block Storage Encryption is not available in this region");
    }
    if (!problems.empty()) throw errors::invalid(std::move(problems));

    Volume v;
    v.label = request.label;
    v.region = region;
    v.size = request.size;
    v.status = "creating";
    v.encryption = request.encryption;
    v.tags = request.tags;
    json::object payload;
    std::optional<json::object> config;
    if (linode) {
        attachable_linode(tx, linode->id, region, true);
        config = config_for(tx, linode->id, request.config_id);
        v.linode_id = linode->id;
        v.linode_label = linode->label;
        payload["linode_id"] = linode->id;
    }
    VolumeRepository repo(tx);
    v.id = repo.insert(v);
    billing::meter(tx, repo.find(v.id).value());
    if (config) add_to_config(tx, *config, v.id);
    record_tags(tx, v.tags);
    auto stored = repo.find(v.id).value();
    start_job(tx, actor, "volume_create", stored, std::move(payload));
    return stored;
}

void attach(store::Transaction& tx, const Actor& actor, Volume& volume, std::int64_t linode_id,
            std::optional<std::int64_t> config_id, bool persist_across_boots) {
    if (volume.linode_id)
        throw errors::bad_request("Volume is already attached to a Linode", "linode_id");
    require_idle(tx, volume);
    if (!persist_across_boots && config_id)
        throw errors::bad_request("config_id may not be given when persist_across_boots is false",
                                  "config_id");
    const auto linode = attachable_linode(tx, linode_id, volume.region, persist_across_boots);
    if (!persist_across_boots && linode.status != "running")
        throw errors::bad_request(
            "The Linode must be running to attach a volume that does not persist across boots",
            "persist_across_boots");
    if (persist_across_boots) {
        auto config = config_for(tx, linode_id, config_id);
        add_to_config(tx, config, volume.id);
    }
    volume.linode_id = linode_id;
    volume.linode_label = linode.label;
    VolumeRepository(tx).save(volume);
    start_job(tx, actor, "volume_attach", volume, json::object{{"linode_id", linode_id}},
              jobs::linode_entity(linode.id, linode.label));
}

void detach(store::Transaction& tx, const Actor& actor, Volume& volume) {
    if (!volume.linode_id) throw errors::bad_request("Volume is not attached to a Linode");
    if (busy(tx, volume)) throw errors::bad_request("Volume is busy; try again once it is idle.");
    std::optional<jobs::Entity> secondary;
    if (auto linode = linodes::find(tx, *volume.linode_id))
        secondary = jobs::linode_entity(linode->id, linode->label);
    start_job(tx, actor, "volume_detach", volume, json::object{{"linode_id", *volume.linode_id}},
              std::move(secondary));
}

void resize(store::Transaction& tx, const Actor& actor, Volume& volume, std::int64_t size) {
    if (size > kMaxSize) throw errors::bad_request("Size must be at most 10240 (GiB)", "size");
    if (size <= volume.size) throw errors::bad_request("Volumes can only be resized up", "size");
    require_idle(tx, volume);
    const std::int64_t old_size = volume.size;
    volume.size = size;
    volume.status = "resizing";
    VolumeRepository(tx).save(volume);
    billing::meter(tx, volume);
    start_job(tx, actor, "volume_resize", volume, json::object{{"old_size", old_size}});
}

Volume clone(store::Transaction& tx, const Actor& actor, const Volume& source,
             const std::string& label) {
    check_label(tx, label, 0);
    require_idle(tx, source);
    Volume copy;
    copy.label = label;
    copy.region = source.region;
    copy.size = source.size;
    copy.status = "creating";
    copy.encryption = source.encryption;
    copy.hardware_type = source.hardware_type;
    VolumeRepository repo(tx);
    copy.id = repo.insert(copy);
    auto stored = repo.find(copy.id).value();
    billing::meter(tx, stored);
    start_job(tx, actor, "volume_clone", stored, json::object{{"source_id", source.id}},
              volume_entity(source));
    return stored;
}

void remove(store::Transaction& tx, const Actor& actor, const Volume& volume) {
    if (volume.linode_id)
        throw errors::bad_request("Volume must be detached before it can be deleted");
    if (busy(tx, volume)) throw errors::bad_request("Volume is busy; try again once it is idle.");
    VolumeRepository(tx).remove(volume.id);
    billing::stop(tx, "volume", volume.id);
    // The record goes now; the job releases what backs it.
    start_job(tx, actor, "volume_delete", volume,
              json::object{{"size", volume.size}, {"label", volume.label}});
}

void update(store::Transaction& tx, const Actor& actor, Volume& volume) {
    check_label(tx, volume.label, volume.id);
    record_tags(tx, volume.tags);
    VolumeRepository(tx).save(volume);
    notify(tx, actor, "volume_update", volume);
}

}  // namespace linnet::volumes
