// Reading a Linode's machine from the store.
#include "linodes/machine.hpp"

#include <crypt.h>

#include <stdexcept>

#include "auth/token.hpp"
#include "backups/backups.hpp"
#include "linodes/address_repository.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/disk_repository.hpp"
#include "linodes/instances.hpp"
#include "metadata/metadata_repository.hpp"
#include "metadata/user_data.hpp"
#include "stackscripts/stackscripts.hpp"
#include "volumes/volume_repository.hpp"
#include "vpcs/vpcs.hpp"

namespace linnet::linodes {

namespace json = boost::json;

std::string root_hash(const std::string& password) {
    // crypt_gensalt_rn picks the salt from the OS's random source.
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (crypt_gensalt_rn("$6$", 0, nullptr, 0, salt, sizeof salt) == nullptr)
        throw std::runtime_error("crypt_gensalt failed");
    crypt_data data{};
    const char* hash = crypt_r(password.c_str(), salt, &data);
    if (hash == nullptr || hash[0] == '*') throw std::runtime_error("crypt failed");
    return hash;
}

namespace {

// The config's vlan and vpc interfaces, as the segments they join.
std::vector<compute::PrivateNic> private_nics_of(store::Transaction& tx, const Instance& linode,
                                                 const json::object& config) {
    std::vector<compute::PrivateNic> out;
    const auto* list = config.if_contains("interfaces");
    if (!list || !list->is_array()) return out;
    for (const auto& item : list->as_array()) {
        const auto& itf = item.as_object();
        const auto& purpose = itf.at("purpose");
        compute::PrivateNic nic;
        if (purpose == "vlan" && itf.at("label").is_string()) {
            // A VLAN is its label in a region of one account.
            nic.network = "vlan/" + std::to_string(linode.account_id) + "/" + linode.region + "/" +
                          std::string(itf.at("label").as_string());
            if (const auto& ipam = itf.at("ipam_address");
                ipam.is_string() && !ipam.as_string().empty())
                nic.addresses.emplace_back(ipam.as_string());
        } else if (purpose == "vpc" && itf.at("subnet_id").is_int64()) {
            auto subnet = vpcs::VpcRepository(tx).find_subnet(itf.at("subnet_id").as_int64());
            if (!subnet) continue;
            nic.network = "vpc/" + std::to_string(subnet->subnet.vpc_id);
            const auto& v4 = itf.at("ipv4");
            if (v4.is_object() && v4.as_object().at("vpc").is_string())
                nic.addresses.push_back(std::string(v4.as_object().at("vpc").as_string()) + "/" +
                                        std::to_string(vpcs::prefix_of(subnet->subnet.ipv4)));
            // The VPC's subnets are routed to each other.
            for (const auto& other : vpcs::VpcRepository(tx).subnets_of(subnet->subnet.vpc_id))
                if (other.id != subnet->subnet.id) nic.routes.push_back(other.ipv4);
        } else {
            continue;
        }
        out.push_back(std::move(nic));
    }
    return out;
}

}  // namespace

compute::Machine machine_of(store::Transaction& tx, const jobs::Job& job,
                            compute::MachineDetail detail) {
    compute::Machine m;
    if (!job.linode_id) return m;
    m.linode_id = *job.linode_id;
    const auto& p = job.payload;
    auto number = [&](const char* key) -> std::int64_t {
        const auto* v = p.if_contains(key);
        return v && v->is_int64() ? v->as_int64() : 0;
    };
    m.disk_id = number("disk_id");
    m.disk_size_mb = number("size");
    if (auto resize = number("resize_disk_id")) {
        m.disk_id = resize;
        m.disk_size_mb = number("resize_disk_size");
    }
    m.target_linode = number("target_id");
    if (const auto* v = p.if_contains("image_id"); v && v->is_string())
        m.image = std::string(v->as_string());
    m.backup_id = number("backup_id");
    m.backup_linode = number("source_id");
    if (m.backup_id && !m.backup_linode)
        m.backups =
            backups::kept_after(backups::BackupRepository(tx).of_linode(m.linode_id), m.backup_id);
    if (const auto* v = p.if_contains("root_hash"); v && v->is_string())
        m.root_hash = std::string(v->as_string());
    if (const auto* v = p.if_contains("authorized_keys"); v && v->is_array())
        for (const auto& k : v->as_array())
            if (k.is_string()) m.authorized_keys.emplace_back(k.as_string());
    if (const auto* v = p.if_contains("disk_map"); v && v->is_object())
        for (const auto& [from, to] : v->as_object())
            if (to.is_int64()) m.disk_map[std::stoll(std::string(from))] = to.as_int64();
    auto read_disks = [&] {
        for (const auto& disk : DiskRepository(tx).of_linode(m.linode_id))
            m.disks.push_back({disk.id, disk.size, disk.filesystem, disk.image});
    };
    if (detail == compute::MachineDetail::disks) {
        read_disks();
        return m;
    }

    // The reads of the Linode, its user data, disks, boot config and address go ahead
    // together (one round trip on PostgreSQL).
    const std::int64_t config_id = number("config_id");
    LinodeRepository linodes(tx);
    ConfigRepository configs(tx);
    linodes.read_ahead_untagged(m.linode_id);
    metadata::MetadataRepository(tx).read_ahead_user_data(m.linode_id);
    DiskRepository(tx).read_ahead_of_linode(m.linode_id);
    if (config_id)
        configs.read_ahead_find_of(m.linode_id, config_id);
    else
        configs.read_ahead_first_of(m.linode_id);
    AddressRepository(tx).read_ahead_first_public_ipv4(m.linode_id);

    auto linode = linodes.find_untagged(m.linode_id);
    if (!linode) return m;
    m.label = linode->label;
    const auto& specs = linode->settings.at("specs").as_object();
    m.vcpus = specs.at("vcpus").to_number<std::int64_t>();
    m.memory_mb = specs.at("memory").to_number<std::int64_t>();
    if (auto deployment = stackscripts::deployment_of(p)) {
        compute::FirstBootScript run{deployment->script, {}};
        for (const auto& [name, value] : deployment->values) run.environment[name] = value;
        run.environment["LINODE_ID"] = std::to_string(m.linode_id);
        run.environment["LINODE_RAM"] = std::to_string(m.memory_mb);
        run.environment["LINODE_LISHUSERNAME"] = "linode" + std::to_string(m.linode_id);
        m.stackscript = std::move(run);
    }
    if (auto user_data = metadata::MetadataRepository(tx).user_data(m.linode_id)) try {
            m.user_data = metadata::decode_base64(*user_data);
        } catch (const std::invalid_argument&) {
            // Checked when it was given: nothing else writes it.
        }
    read_disks();
    // The boot devices: the config the job names, else the Linode's first.
    std::optional<json::object> boot_config;
    if (config_id)
        boot_config = configs.find_of(m.linode_id, config_id);
    else
        boot_config = configs.first_of(m.linode_id);
    if (boot_config) {
        const auto& config = *boot_config;
        for (const char* slot : {"sda", "sdb", "sdc", "sdd", "sde", "sdf", "sdg", "sdh"}) {
            const auto& device = config.at("devices").as_object().at(slot);
            const json::value* disk =
                device.is_object() ? device.as_object().if_contains("disk_id") : nullptr;
            m.boot_disks.push_back(disk && disk->is_int64() ? disk->as_int64() : 0);
            const json::value* volume =
                device.is_object() ? device.as_object().if_contains("volume_id") : nullptr;
            if (volume && volume->is_int64())
                if (auto v = volumes::VolumeRepository(tx).find_unlocked(volume->as_int64());
                    v && v->status != "creating")
                    m.boot_volumes.push_back(
                        {v->id, v->label, v->size, v->encryption, 0, m.linode_id});
        }
        m.private_nics = private_nics_of(tx, *linode, config);
        if (const auto* helpers = config.if_contains("helpers"); helpers && helpers->is_object())
            if (const auto* network = helpers->as_object().if_contains("network");
                network && network->is_bool())
                m.network_helper = network->as_bool();
    }
    if (auto address = AddressRepository(tx).first_public_ipv4(m.linode_id)) m.ipv4 = *address;
    return m;
}

}  // namespace linnet::linodes
