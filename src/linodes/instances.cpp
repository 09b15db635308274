// Linodes through their repository.
#include "linodes/instances.hpp"

#include <cctype>

#include "billing/meter.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/error.hpp"

namespace linnet::linodes {

namespace json = boost::json;

std::optional<Instance> find(store::Transaction& tx, std::int64_t id) {
    return LinodeRepository(tx).find(id);
}

Instance get(store::Transaction& tx, std::int64_t id) {
    auto found = find(tx, id);
    if (!found) throw errors::not_found();
    return *found;
}

void save(store::Transaction& tx, Instance& l) {
    // The first save is in the transaction that inserts the Linode: nothing of it is billed yet.
    const bool first = l.document_pending;
    LinodeRepository(tx).save(l);
    billing::meter(tx, l, first);
}

void set_status(store::Transaction& tx, std::int64_t id, const std::string& status) {
    // Nothing billed follows the status: the meter is not asked.
    LinodeRepository(tx).set_status(id, status);
}

void refresh(store::Transaction& tx, std::int64_t id) {
    if (auto l = find(tx, id)) save(tx, *l);
}

bool valid_label(std::string_view label) {
    if (label.size() < 3 || label.size() > 64) return false;
    auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    if (!alnum(label.front()) || !alnum(label.back())) return false;
    for (std::size_t i = 0; i < label.size(); ++i) {
        const char c = label[i];
        const bool sep = c == '-' || c == '_' || c == '.';
        if (!alnum(c) && !sep) return false;
        if (sep && i + 1 < label.size() && label[i + 1] == c) return false;
    }
    return true;
}

bool label_taken(store::Transaction& tx, const std::string& label, std::int64_t except) {
    return LinodeRepository(tx).label_taken(label, except);
}

std::optional<json::object> find_type(store::Transaction& tx, const std::string& id) {
    return catalog::CatalogRepository(tx).find_type(id);
}

json::object specs_of(const json::object& type) {
    return json::object{{"disk", type.at("disk")},         {"memory", type.at("memory")},
                        {"vcpus", type.at("vcpus")},       {"gpus", type.at("gpus")},
                        {"transfer", type.at("transfer")}, {"accelerated_devices", 0}};
}

}  // namespace linnet::linodes
