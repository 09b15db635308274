// The 2016 alpha catalog (datacenters, services, distributions) and the modern region, type and
// image each one stands for: the alpha API translates through these tables and nothing else.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linnet::api::alpha {

struct Datacenter {
    std::string_view id;          // "datacenter_6"
    std::string_view label;       // "Newark, NJ"
    std::string_view datacenter;  // the 2016 slug, "newark"
    std::string_view region;      // the modern region, "us-east"
};

struct Service {
    std::string_view id;  // "service_112"
    std::string_view label;
    std::string_view service_type;  // linode, backup, nodebalancer, longview
    std::int64_t ram = 0;           // MB
    std::int64_t disk = 0;          // GB
    std::int64_t vcpus = 0;
    std::int64_t mbits_out = 0;
    std::int64_t transfer = 0;       // GB
    std::int64_t hourly_price = 0;   // cents
    std::int64_t monthly_price = 0;  // cents
    std::string_view type;           // the modern Linode type; empty for services that are not
                                     // Linodes
};

struct Distribution {
    std::string_view id;  // "distro_140"
    std::string_view label;
    std::string_view vendor;
    bool recommended = false;
    std::int64_t minimum_image_size = 0;  // MB
    std::string_view created;
    std::string_view image;  // the modern image
};

const std::vector<Datacenter>& datacenters();
const std::vector<Service>& services();
const std::vector<Distribution>& distributions();

// By alpha id; nullptr when there is none.
const Datacenter* find_datacenter(std::string_view id);
const Service* find_service(std::string_view id);
const Distribution* find_distribution(std::string_view id);

// The alpha entry that stands for a modern id; nullptr when none does.
const Datacenter* datacenter_of_region(std::string_view region);
const Service* service_of_type(std::string_view type);
const Distribution* distribution_of_image(std::string_view image);

boost::json::object to_json(const Datacenter& d);
boost::json::object to_json(const Service& s);
boost::json::object to_json(const Distribution& d);

// The table as a store::inline_table with the columns id, label, sort, doc and the filterable
// ones, so that lists, X-Filter and paging work on it as on any stored table. Every value comes
// from the tables above, never from a request.
const std::string& datacenter_table();
const std::string& service_table();
const std::string& distribution_table();
// The recommended distributions alone, in the same form.
const std::string& recommended_distribution_table();

// "linode_12" (or "12") -> 12; nullopt for anything else.
std::optional<std::int64_t> linode_number(std::string_view id);

}  // namespace linnet::api::alpha
