// /linode/instances/{linodeId}/configs: config profiles (kernel, devices, helpers, interfaces)
// and their interfaces. Changes are immediate and recorded as notification events.
#include <algorithm>
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/disk_repository.hpp"
#include "linodes/interfaces.hpp"
#include "linodes/provisioning.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

// The Linode's config the path names (or `id`), as stored.
json::object config_of(http::Context& ctx, std::int64_t linode_id, std::int64_t id = 0) {
    auto config =
        linodes::ConfigRepository(ctx.tx()).find_of(linode_id, id ? id : id_param(ctx, "configId"));
    if (!config) throw errors::not_found();
    return *config;
}

jobs::Entity config_entity(std::int64_t linode_id, const json::object& config) {
    const std::int64_t id = config.at("id").as_int64();
    return {json::value(id), "linode_config", std::string(config.at("label").as_string()),
            "/v4/linode/instances/" + std::to_string(linode_id) + "/configs/" + std::to_string(id)};
}

// Applies the fields of a create or update body to a config, checking each.
void apply(http::Context& ctx, std::int64_t linode_id, const json::object& body,
           json::object& config, bool creating) {
    BodyReader reader(body);
    if (auto label = reader.string("label", {creating, 1, 48})) config["label"] = *label;
    if (auto kernel = reader.string("kernel")) {
        if (!catalog::CatalogRepository(ctx.tx()).kernel_exists(*kernel))
            reader.fail("kernel", "kernel is not valid");
        else
            config["kernel"] = *kernel;
    }
    if (auto comments = reader.string("comments", {false, 0, 255, true}))
        config["comments"] = *comments;
    if (auto memory = reader.integer("memory_limit")) {
        if (*memory < 0)
            reader.fail("memory_limit", "memory_limit must be 0 or more");
        else
            config["memory_limit"] = *memory;
    }
    if (auto run_level = reader.string("run_level")) {
        if (*run_level != "default" && *run_level != "single" && *run_level != "binbash")
            reader.fail("run_level", "run_level must be default, single or binbash");
        else
            config["run_level"] = *run_level;
    }
    if (auto virt = reader.string("virt_mode")) {
        if (*virt != "paravirt" && *virt != "fullvirt")
            reader.fail("virt_mode", "virt_mode must be paravirt or fullvirt");
        else
            config["virt_mode"] = *virt;
    }
    if (auto root = reader.string("root_device", {false, 1, 64})) config["root_device"] = *root;
    if (const auto* helpers = body.if_contains("helpers")) {
        if (!helpers->is_object()) {
            reader.fail("helpers", "helpers must be an object");
        } else {
            auto& current = config["helpers"].as_object();
            for (const auto& [key, value] : helpers->as_object()) {
                if (!current.contains(key))
                    reader.fail("helpers." + std::string(key), "Unknown helper");
                else if (!value.is_bool())
                    reader.fail("helpers." + std::string(key), "Helpers are booleans");
                else
                    current[key] = value;
            }
        }
    }
    if (const auto* devices = body.if_contains("devices")) {
        if (!devices->is_object()) {
            reader.fail("devices", "devices must be an object");
        } else {
            auto& current = config["devices"].as_object();
            for (const auto& [slot, device] : devices->as_object()) {
                const std::string field = "devices." + std::string(slot);
                if (!current.contains(slot)) {
                    reader.fail(field, "Unknown device slot");
                } else if (device.is_null()) {
                    current[slot] = nullptr;
                } else if (const auto* disk = device.is_object()
                                                  ? device.as_object().if_contains("disk_id")
                                                  : nullptr;
                           disk && disk->is_int64()) {
                    if (!linodes::DiskRepository(ctx.tx()).find_of(linode_id, disk->as_int64()))
                        reader.fail(field + ".disk_id", "Not a disk of this Linode");
                    else
                        current[slot] = json::object{{"disk_id", *disk}, {"volume_id", nullptr}};
                } else if (device.is_object() && device.as_object().contains("volume_id")) {
                    reader.fail(field + ".volume_id", "Volume not found");
                } else {
                    reader.fail(field, "A device is {\"disk_id\": N} or null");
                }
            }
        }
    }
    if (const auto* itf = body.if_contains("interfaces")) {
        const auto& stored = config["interfaces"];
        if (auto list = linodes::read_interfaces(
                *itf, reader, stored.is_array() ? stored.as_array() : json::array{}))
            config["interfaces"] = std::move(*list);
    }
    reader.finish();
    config["updated"] = now_utc();
}

http::Response create(http::Context& ctx) {
    auto linode = linode_of(ctx);
    const auto body = parse_body(ctx.request.body);
    auto config = linodes::default_config(0, "", json::object{}, json::array{});
    config["kernel"] = "linode/latest-64bit";
    apply(ctx, linode.id, body, config, true);
    linodes::insert_config(ctx.tx(), linode.id, config);
    notify(ctx, linode, "linode_config_create", config_entity(linode.id, config));
    return http::Response::json(to_json(config_of(ctx, linode.id, config.at("id").as_int64())));
}

http::Response update(http::Context& ctx) {
    auto linode = linode_of(ctx);
    auto config = config_of(ctx, linode.id);
    const auto before = config["interfaces"].as_array();
    apply(ctx, linode.id, parse_body(ctx.request.body), config, false);
    linodes::save_config(ctx.tx(), linode.id, config, before);
    notify(ctx, linode, "linode_config_update", config_entity(linode.id, config));
    return http::Response::json(to_json(config_of(ctx, linode.id)));
}

http::Response remove(http::Context& ctx) {
    auto linode = linode_of(ctx);
    auto config = config_of(ctx, linode.id);
    linodes::ConfigRepository(ctx.tx()).remove(config.at("id").as_int64());
    notify(ctx, linode, "linode_config_delete", config_entity(linode.id, config));
    return http::Response::json("{}");
}

// Interfaces of a config, each with an id assigned when added.
http::Response add_interface(http::Context& ctx) {
    auto linode = linode_of(ctx);
    auto config = config_of(ctx, linode.id);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto& list = config["interfaces"].as_array();
    const auto before = list;
    auto itf = linodes::read_added_interface(body, reader, list);
    reader.finish();
    list.push_back(*itf);
    linodes::save_config(ctx.tx(), linode.id, config, before, linodes::field_alone);
    notify(ctx, linode, "linode_config_update", config_entity(linode.id, config));
    // As stored, with whether it is active.
    const auto added = config["interfaces"].as_array().back().as_object().at("id");
    const auto stored = config_of(ctx, linode.id);
    for (const auto& i : stored.at("interfaces").as_array())
        if (i.as_object().at("id") == added) return http::Response::json(to_json(i));
    throw errors::not_found();
}

// The interface the path names, as the config holds it.
json::object& interface_of(http::Context& ctx, json::object& config) {
    const std::int64_t id = id_param(ctx, "interfaceId");
    for (auto& i : config["interfaces"].as_array())
        if (i.is_object() && i.as_object().contains("id") && i.as_object().at("id") == id)
            return i.as_object();
    throw errors::not_found();
}

// PUT .../interfaces/{interfaceId}: whether it is primary, and a vpc interface's addresses.
http::Response update_interface(http::Context& ctx) {
    auto linode = linode_of(ctx);
    auto config = config_of(ctx, linode.id);
    const auto before = config["interfaces"].as_array();
    auto& itf = interface_of(ctx, config);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const std::string purpose(itf.at("purpose").as_string());
    const auto primary = reader.boolean("primary");
    if (primary && *primary && purpose == "vlan")
        reader.fail("primary", "A vlan interface cannot be primary");
    if (const auto* v4 = body.if_contains("ipv4"); v4 && !v4->is_null()) {
        if (purpose != "vpc") {
            reader.fail("ipv4", "Only a vpc interface has ipv4 addresses");
        } else if (!v4->is_object()) {
            reader.fail("ipv4", "ipv4 must be an object");
        } else {
            auto& current = itf["ipv4"];
            if (!current.is_object()) current = json::object{};
            for (const auto& [key, value] : v4->as_object()) {
                const std::string field = "ipv4." + std::string(key);
                if (key != "vpc" && key != "nat_1_1")
                    reader.fail(field, "Unknown field of ipv4");
                else if (!value.is_null() &&
                         !(value.is_string() && (linodes::valid_address(value.as_string()) ||
                                                 (key == "nat_1_1" && value.as_string() == "any"))))
                    reader.fail(field, field + " must be an address or null");
                else
                    current.as_object()[key] = value;
            }
        }
    }
    if (const auto* ranges = body.if_contains("ip_ranges"); ranges && !ranges->is_null()) {
        if (!ranges->is_array()) {
            reader.fail("ip_ranges", "ip_ranges must be a list");
        } else if (purpose != "vpc" && !ranges->as_array().empty()) {
            reader.fail("ip_ranges", "Only a vpc interface has ip_ranges");
        } else {
            for (std::size_t i = 0; i < ranges->as_array().size(); ++i)
                if (!ranges->as_array()[i].is_string() ||
                    !linodes::valid_cidr(ranges->as_array()[i].as_string()))
                    reader.fail("ip_ranges[" + std::to_string(i) + "]", "A range is a CIDR");
            itf["ip_ranges"] = *ranges;
        }
    }
    reader.finish();
    if (primary) {
        // One primary at most: this one takes it from the others.
        if (*primary)
            for (auto& other : config["interfaces"].as_array())
                other.as_object()["primary"] = false;
        itf["primary"] = *primary;
    }
    linodes::save_config(ctx.tx(), linode.id, config, before, linodes::field_alone);
    config = config_of(ctx, linode.id);
    const json::object answer = interface_of(ctx, config);
    notify(ctx, linode, "linode_config_update", config_entity(linode.id, config));
    return http::Response::json(to_json(answer));
}

// POST .../interfaces/order: the same interfaces in a new order (eth0 first).
http::Response order_interfaces(http::Context& ctx) {
    auto linode = linode_of(ctx);
    auto config = config_of(ctx, linode.id);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto* ids = body.if_contains("ids");
    auto& list = config["interfaces"].as_array();
    json::array ordered;
    if (ids == nullptr || !ids->is_array()) {
        reader.fail("ids", "ids must be the list of the config's interface ids");
    } else {
        for (const auto& id : ids->as_array()) {
            auto it = std::find_if(list.begin(), list.end(), [&](const json::value& i) {
                return id.is_int64() && i.as_object().at("id") == id.as_int64();
            });
            if (it == list.end() || std::find(ordered.begin(), ordered.end(), *it) != ordered.end())
                reader.fail("ids", "ids must name each of the config's interfaces once");
            else
                ordered.push_back(*it);
        }
        if (ordered.size() != list.size())
            reader.fail("ids", "ids must name every interface of the config");
    }
    reader.finish();
    if (linode.status != "offline" && !list.empty())
        throw errors::bad_request(
            "The Linode must be shut down to reorder the interfaces of its config.");
    list = std::move(ordered);
    linodes::ConfigRepository(ctx.tx()).save(config);
    notify(ctx, linode, "linode_config_update", config_entity(linode.id, config));
    return http::Response::json("{}");
}

}  // namespace

void register_linode_configs(http::Router& router) {
    using auth::Requirement;
    const auto ro = Requirement::of("linodes:read_only");
    const auto rw = Requirement::of("linodes:read_write");
    const std::string base = "/linode/instances/{linodeId}/configs";
    router.add("GET", base, "get-linode-configs", ro, [](http::Context& ctx) {
        auto linode = linode_of(ctx);
        return list(ctx, linodes::ConfigRepository(ctx.tx()).listing(linode.id));
    });
    router.add("POST", base, "post-add-linode-config", rw, create);
    router.add("GET", base + "/{configId}", "get-linode-config", ro, [](http::Context& ctx) {
        auto linode = linode_of(ctx);
        return http::Response::json(to_json(config_of(ctx, linode.id)));
    });
    router.add("PUT", base + "/{configId}", "put-linode-config", rw, update);
    router.add("DELETE", base + "/{configId}", "delete-linode-config", rw, remove);
    router.add("GET", base + "/{configId}/interfaces", "get-linode-config-interfaces", ro,
               [](http::Context& ctx) {
                   auto linode = linode_of(ctx);
                   return http::Response::json(to_json(config_of(ctx, linode.id)["interfaces"]));
               });
    router.add("POST", base + "/{configId}/interfaces", "post-linode-config-interface", rw,
               add_interface);
    router.add("GET", base + "/{configId}/interfaces/{interfaceId}", "get-linode-config-interface",
               ro, [](http::Context& ctx) {
                   auto linode = linode_of(ctx);
                   auto config = config_of(ctx, linode.id);
                   return http::Response::json(to_json(interface_of(ctx, config)));
               });
    router.add("PUT", base + "/{configId}/interfaces/{interfaceId}", "put-linode-config-interface",
               rw, update_interface);
    router.add("POST", base + "/{configId}/interfaces/order", "post-linode-config-interfaces", rw,
               order_interfaces);
    router.add("DELETE", base + "/{configId}/interfaces/{interfaceId}",
               "delete-linode-config-interface", rw, [](http::Context& ctx) {
                   auto linode = linode_of(ctx);
                   auto config = config_of(ctx, linode.id);
                   const auto itf = interface_of(ctx, config);
                   auto& list = config["interfaces"].as_array();
                   for (auto it = list.begin(); it != list.end(); ++it)
                       if (it->is_object() && it->as_object().at("id") == itf.at("id")) {
                           list.erase(it);
                           break;
                       }
                   linodes::ConfigRepository(ctx.tx()).save(config);
                   return http::Response::json("{}");
               });
}

void register_vlans(http::Router& router) {
    // The VLANs of the account: the labels its Linodes' vlan interfaces join, by region.
    router.add("GET", "/networking/vlans", "get-vlans", auth::Requirement::of("linodes:read_only"),
               [](http::Context& ctx) {
                   return list(ctx, linodes::ConfigRepository::vlan_listing(
                                        auth::visible_linodes(ctx.caller(), "l.id")));
               });
}

}  // namespace linnet::api
