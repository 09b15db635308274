// Loading the embedded catalog documents into their tables, keeping the catalog's own order.
#include "catalog/catalog.hpp"

#include <boost/json.hpp>
#include <string_view>

#include "betas/beta_repository.hpp"
#include "catalog/catalog_repository.hpp"
#include "images/image_repository.hpp"

namespace linnet::catalog {

namespace embedded {
extern const std::string_view regions;
extern const std::string_view types;
extern const std::string_view kernels;
extern const std::string_view images;
extern const std::string_view availability;
extern const std::string_view betas;
}  // namespace embedded

namespace {

// Calls save(document, position) for each document of one embedded file.
template <class Save>
void each(std::string_view text, Save save) {
    std::int64_t sort = 0;
    const boost::json::value documents = boost::json::parse(text);
    for (const auto& item : documents.as_array()) save(item.as_object(), sort++);
}

}  // namespace

void load(store::Transaction& tx) {
    CatalogRepository catalog(tx);
    images::ImageRepository images(tx);
    using Doc = const boost::json::object&;
    each(embedded::regions, [&](Doc d, std::int64_t sort) { catalog.save_region(d, sort); });
    each(embedded::types, [&](Doc d, std::int64_t sort) { catalog.save_type(d, sort); });
    each(embedded::kernels, [&](Doc d, std::int64_t sort) { catalog.save_kernel(d, sort); });
    each(embedded::images, [&](Doc d, std::int64_t sort) { images.save_catalog_image(d, sort); });
    each(embedded::availability,
         [&](Doc d, std::int64_t sort) { catalog.save_availability(d, sort); });
    betas::BetaRepository programs(tx);
    each(embedded::betas, [&](Doc d, std::int64_t sort) { programs.save_program(d, sort); });
}

void seed(store::Database& db) {
    auto tx = db.begin_in(store::Access::write, store::Scope::system());
    load(*tx);
    tx->commit();
}

}  // namespace linnet::catalog
