// Rendering a Linode in its 2016 form. Modern regions, types and images without a 2016 entry
// still show, by their modern ids, so Linodes created through the modern API read well here too.
#include "api/alpha/linode_object.hpp"

#include "api/alpha/catalog_2016.hpp"
#include "linodes/address_repository.hpp"
#include "linodes/display_label.hpp"

namespace linnet::api::alpha {

namespace json = boost::json;

namespace {

json::object ip_addresses(store::Transaction& tx, std::int64_t linode_id) {
    json::array public_v4, private_v4;
    json::value ipv6 = nullptr, link_local = nullptr;
    for (const auto& a : linodes::AddressRepository(tx).of_linode(linode_id)) {
        if (a.family == "ipv4")
            (a.is_public ? public_v4 : private_v4).push_back(json::string(a.address));
        else if (a.kind == "slaac")
            ipv6 = json::string(a.address);
        else if (a.kind == "link_local")
            link_local = json::string(a.address);
    }
    return json::object{
        {"public",
         json::object{{"ipv4", std::move(public_v4)}, {"ipv6", ipv6}, {"failover", json::array{}}}},
        {"private", json::object{{"ipv4", std::move(private_v4)}, {"link_local", link_local}}}};
}

json::value datacenter_of(const linodes::Instance& l) {
    if (const auto* d = datacenter_of_region(l.region)) return to_json(*d);
    return json::object{
        {"id", nullptr}, {"label", l.region}, {"datacenter", nullptr}, {"region", l.region}};
}

json::value distribution_of(const linodes::Instance& l) {
    if (!l.image) return nullptr;
    if (const auto* d = distribution_of_image(*l.image)) return to_json(*d);
    return json::object{{"id", nullptr}, {"label", *l.image}, {"image", *l.image}};
}

json::value service_of(const linodes::Instance& l) {
    if (const auto* s = service_of_type(l.type)) return to_json(*s);
    return json::object{
        {"id", nullptr}, {"label", l.type}, {"service_type", "linode"}, {"type", l.type}};
}

}  // namespace

json::object linode_object(store::Transaction& tx, const linodes::Instance& l) {
    const auto& s = l.settings;
    const auto& alerts = s.at("alerts").as_object();
    auto alert = [&](const char* name) {
        return json::object{{"enabled", true}, {"threshold", alerts.at(name)}};
    };
    const auto& backups = s.at("backups").as_object();
    return json::object{{"id", "linode_" + std::to_string(l.id)},
                        {"label", linodes::display_label(l)},
                        {"group", l.group},
                        {"state", l.status},
                        {"created", l.created},
                        {"updated", l.updated},
                        {"datacenter", datacenter_of(l)},
                        {"distribution", distribution_of(l)},
                        {"services", json::object{{"linode", service_of(l)}}},
                        {"total_transfer", s.at("specs").as_object().at("transfer")},
                        {"ip_addresses", ip_addresses(tx, l.id)},
                        {"alerts", json::object{{"cpu", alert("cpu")},
                                                {"io", alert("io")},
                                                {"transfer_in", alert("network_in")},
                                                {"transfer_out", alert("network_out")},
                                                {"transfer_quota", alert("transfer_quota")}}},
                        {"backups", json::object{{"enabled", backups.at("enabled")},
                                                 {"last_backup", backups.at("last_successful")}}},
                        // The modern names of the same Linode.
                        {"linode_id", l.id},
                        {"modern_label", l.label},
                        {"region", l.region},
                        {"type", l.type},
                        {"image", l.image ? json::value(*l.image) : json::value(nullptr)}};
}

}  // namespace linnet::api::alpha
