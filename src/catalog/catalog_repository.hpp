// The catalog's tables (regions, linode_types, kernels, region_availability): every statement on
// them lives in catalog_repository.cpp. The catalog's public images are rows of `images`, stored
// through images::ImageRepository.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/listing.hpp"

namespace linnet::catalog {

// What a region offers ("Linodes", "Block Storage", ...).
struct RegionCapabilities {
    std::string id;
    std::vector<std::string> capabilities;

    bool has(std::string_view capability) const;
};

class CatalogRepository {
  public:
    explicit CatalogRepository(store::Transaction& tx) : tx_(tx) {}

    // Stores one catalog document (inserted, or refreshed in place), at position `sort` of its
    // file.
    void save_region(const boost::json::object& doc, std::int64_t sort);
    void save_type(const boost::json::object& doc, std::int64_t sort);
    void save_kernel(const boost::json::object& doc, std::int64_t sort);
    void save_availability(const boost::json::object& doc, std::int64_t sort);

    // Lists in the catalog's order, filterable as /regions, /regions/availability,
    // /linode/types and /linode/kernels describe.
    store::Listing regions();
    store::Listing availability();
    store::Listing types();
    store::Listing kernels();
    // The kernels with the filters of the 2016 alpha API.
    store::Listing kernels_2016();
    // Every region as `render` makes it from its id and capabilities, filterable on "region".
    store::Listing region_capabilities(
        std::function<std::string(const RegionCapabilities&)> render);

    bool region_exists(const std::string& id);
    std::optional<boost::json::object> find_region(const std::string& id);
    std::optional<RegionCapabilities> find_region_capabilities(const std::string& id);
    // Every region's, in the catalog's order.
    std::vector<RegionCapabilities> all_region_capabilities();
    // The availability documents of one region, in catalog order.
    std::vector<std::string> region_availability(const std::string& region);

    std::optional<boost::json::object> find_type(const std::string& id);

    bool kernel_exists(const std::string& id);
    std::optional<boost::json::object> find_kernel(const std::string& id);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::catalog
