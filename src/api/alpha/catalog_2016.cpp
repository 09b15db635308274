// The 2016 catalog as the alpha announcement and the hub's "Creating a Linode" guide show it,
// each entry beside the modern region, type or image that Linnet serves for it (docs/alpha.md).
#include "api/alpha/catalog_2016.hpp"

#include <charconv>

#include "core/json.hpp"
#include "store/inline_table.hpp"

namespace linnet::api::alpha {

namespace json = boost::json;

const std::vector<Datacenter>& datacenters() {
    static const std::vector<Datacenter> table = {
        {"datacenter_2", "Dallas, TX", "dallas", "us-central"},
        {"datacenter_3", "Fremont, CA", "fremont", "us-west"},
        {"datacenter_4", "Atlanta, GA", "atlanta", "us-southeast"},
        {"datacenter_6", "Newark, NJ", "newark", "us-east"},
        {"datacenter_7", "London, England, UK", "london", "eu-west"},
        {"datacenter_8", "Tokyo, JP", "tokyo", "ap-northeast"},
        {"datacenter_9", "Singapore, SG", "singapore", "ap-south"},
        {"datacenter_10", "Frankfurt, DE", "frankfurt", "eu-central"},
    };
    return table;
}

const std::vector<Service>& services() {
    static const std::vector<Service> table = {
        {"service_112", "Linode 1024", "linode", 1024, 24, 1, 125, 2000, 1, 1000, "g6-nanode-1"},
        {"service_113", "Linode 2048", "linode", 2048, 48, 2, 250, 3000, 3, 2000, "g6-standard-1"},
        {"service_114", "Linode 4096", "linode", 4096, 96, 4, 500, 4000, 6, 4000, "g6-standard-2"},
        {"service_115", "Linode 8192", "linode", 8192, 192, 6, 1000, 8000, 12, 8000,
         "g6-standard-4"},
        {"service_116", "Linode 12288", "linode", 12288, 288, 8, 1500, 12000, 18, 12000,
         "g6-standard-6"},
        {"service_129", "Backup Service", "backup", 0, 0, 0, 0, 0, 1, 250, ""},
        {"service_25", "Longview Pro", "longview", 0, 0, 0, 0, 0, 0, 2000, ""},
    };
    return table;
}

const std::vector<Distribution>& distributions() {
    static const std::vector<Distribution> table = {
        {"distro_140", "Debian 8.1", "Debian", true, 900, "2015-06-30T15:11:46", "linode/debian12"},
        {"distro_130", "Debian 7", "Debian", false, 600, "2014-09-24T13:59:32", "linode/debian11"},
        {"distro_146", "Ubuntu 14.04", "Ubuntu", true, 1100, "2014-04-17T15:42:07",
         "linode/ubuntu22.04"},
        {"distro_129", "CentOS 7", "CentOS", true, 1200, "2014-07-08T10:07:21",
         "linode/centos-stream9"},
        {"distro_141", "Fedora 22", "Fedora", false, 1200, "2015-05-26T13:50:00",
         "linode/fedora43"},
        {"distro_138", "Arch Linux 2015.08", "Arch", false, 900, "2015-08-24T11:17:14",
         "linode/arch"},
    };
    return table;
}

namespace {

template <class T>
const T* find_by(const std::vector<T>& table, std::string_view value, std::string_view T::*member) {
    if (value.empty()) return nullptr;
    for (const auto& entry : table)
        if (entry.*member == value) return &entry;
    return nullptr;
}

}  // namespace

const Datacenter* find_datacenter(std::string_view id) {
    return find_by(datacenters(), id, &Datacenter::id);
}
const Service* find_service(std::string_view id) {
    return find_by(services(), id, &Service::id);
}
const Distribution* find_distribution(std::string_view id) {
    return find_by(distributions(), id, &Distribution::id);
}
const Datacenter* datacenter_of_region(std::string_view region) {
    return find_by(datacenters(), region, &Datacenter::region);
}
const Service* service_of_type(std::string_view type) {
    return find_by(services(), type, &Service::type);
}
const Distribution* distribution_of_image(std::string_view image) {
    return find_by(distributions(), image, &Distribution::image);
}

json::object to_json(const Datacenter& d) {
    return json::object{
        {"id", d.id}, {"label", d.label}, {"datacenter", d.datacenter}, {"region", d.region}};
}

json::object to_json(const Service& s) {
    return json::object{{"id", s.id},
                        {"label", s.label},
                        {"service_type", s.service_type},
                        {"ram", s.ram},
                        {"disk", s.disk},
                        {"vcpus", s.vcpus},
                        {"mbits_out", s.mbits_out},
                        {"transfer", s.transfer},
                        {"hourly_price", s.hourly_price},
                        {"monthly_price", s.monthly_price},
                        {"type", s.type.empty() ? json::value(nullptr) : json::value(s.type)}};
}

json::object to_json(const Distribution& d) {
    return json::object{{"id", d.id},
                        {"label", d.label},
                        {"vendor", d.vendor},
                        {"x64", true},
                        {"recommended", d.recommended},
                        {"experimental", false},
                        {"minimum_image_size", d.minimum_image_size},
                        {"created", d.created},
                        {"image", d.image}};
}

namespace {

std::string distributions_as_table(bool recommended_only) {
    std::vector<store::Params> rows;
    for (std::size_t i = 0; i < distributions().size(); ++i) {
        const auto& d = distributions()[i];
        if (recommended_only && !d.recommended) continue;
        rows.push_back({std::string(d.id), std::string(d.label), std::string(d.vendor),
                        std::int64_t{d.recommended ? 1 : 0}, static_cast<std::int64_t>(i),
                        linnet::to_json(to_json(d))});
    }
    return store::inline_table(recommended_only ? "alpha_recommended" : "alpha_distributions",
                               {"id", "label", "vendor", "recommended", "sort", "doc"}, rows);
}

}  // namespace

const std::string& datacenter_table() {
    static const std::string table = [] {
        std::vector<store::Params> rows;
        for (std::size_t i = 0; i < datacenters().size(); ++i) {
            const auto& d = datacenters()[i];
            rows.push_back({std::string(d.id), std::string(d.label), std::string(d.datacenter),
                            static_cast<std::int64_t>(i), linnet::to_json(to_json(d))});
        }
        return store::inline_table("alpha_datacenters",
                                   {"id", "label", "datacenter", "sort", "doc"}, rows);
    }();
    return table;
}

const std::string& service_table() {
    static const std::string table = [] {
        std::vector<store::Params> rows;
        for (std::size_t i = 0; i < services().size(); ++i) {
            const auto& s = services()[i];
            rows.push_back({std::string(s.id), std::string(s.label), std::string(s.service_type),
                            s.ram, s.disk, s.vcpus, s.transfer, s.monthly_price,
                            static_cast<std::int64_t>(i), linnet::to_json(to_json(s))});
        }
        return store::inline_table("alpha_services",
                                   {"id", "label", "service_type", "ram", "disk", "vcpus",
                                    "transfer", "monthly_price", "sort", "doc"},
                                   rows);
    }();
    return table;
}

const std::string& distribution_table() {
    static const std::string table = distributions_as_table(false);
    return table;
}

const std::string& recommended_distribution_table() {
    static const std::string table = distributions_as_table(true);
    return table;
}

std::optional<std::int64_t> linode_number(std::string_view id) {
    if (id.rfind("linode_", 0) == 0) id.remove_prefix(7);
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
    if (ec != std::errc() || end != id.data() + id.size() || n <= 0) return std::nullopt;
    return n;
}

}  // namespace linnet::api::alpha
