// Reading a Linode's machine from the store.
#include "linodes/machine.hpp"

#include <crypt.h>

#include <stdexcept>

#include "auth/token.hpp"
#include "linodes/instances.hpp"

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

compute::Machine machine_of(store::Transaction& tx, const jobs::Job& job) {
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
    if (const auto* v = p.if_contains("root_hash"); v && v->is_string())
        m.root_hash = std::string(v->as_string());
    if (const auto* v = p.if_contains("authorized_keys"); v && v->is_array())
        for (const auto& k : v->as_array())
            if (k.is_string()) m.authorized_keys.emplace_back(k.as_string());
    if (const auto* v = p.if_contains("disk_map"); v && v->is_object())
        for (const auto& [from, to] : v->as_object())
            if (to.is_int64()) m.disk_map[std::stoll(std::string(from))] = to.as_int64();

    auto linode = find(tx, m.linode_id);
    if (!linode) return m;
    m.label = linode->label;
    const auto& specs = linode->settings.at("specs").as_object();
    m.vcpus = specs.at("vcpus").to_number<std::int64_t>();
    m.memory_mb = specs.at("memory").to_number<std::int64_t>();
    for (const auto& row :
         tx.query("SELECT id, size, filesystem, image FROM disks WHERE linode_id = ? ORDER BY id",
                  {m.linode_id})) {
        compute::DiskSpec d{row.integer(0), row.integer(1), row.text(2), std::nullopt};
        if (!row.is_null(3)) d.image = row.text(3);
        m.disks.push_back(d);
    }
    // The boot devices: the config the job names, else the Linode's first.
    const std::int64_t config_id = number("config_id");
    auto configs =
        tx.query(config_id ? "SELECT doc FROM configs WHERE id = ? AND linode_id = ?"
                           : "SELECT doc FROM configs WHERE linode_id = ? ORDER BY id "
                             "LIMIT 1",
                 config_id ? store::Params{config_id, m.linode_id} : store::Params{m.linode_id});
    if (!configs.empty()) {
        const auto config = json::parse(configs.front().text(0)).as_object();
        for (const char* slot : {"sda", "sdb", "sdc", "sdd", "sde", "sdf", "sdg", "sdh"}) {
            const auto& device = config.at("devices").as_object().at(slot);
            const json::value* disk =
                device.is_object() ? device.as_object().if_contains("disk_id") : nullptr;
            m.boot_disks.push_back(disk && disk->is_int64() ? disk->as_int64() : 0);
        }
    }
    auto ips = tx.query(
        "SELECT address FROM ips WHERE linode_id = ? AND family = 'ipv4' AND public = 1 ORDER BY "
        "address LIMIT 1",
        {m.linode_id});
    if (!ips.empty()) m.ipv4 = ips.front().text(0);
    return m;
}

}  // namespace linnet::linodes
