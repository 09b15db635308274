// `linnetd host list|drain|activate`: the compute hosts that workers enrolled.
#include <cstdio>
#include <iostream>

#include "core/clock.hpp"
#include "hosts/drain.hpp"
#include "hosts/host_repository.hpp"
#include "main/options.hpp"

namespace linnet::cli {

namespace {

struct HostOptions {
    StoreOptions store;
    std::string name;
};

std::string joined(const std::vector<std::string>& items) {
    if (items.empty()) return "*";
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
}

void list_hosts(const StoreOptions& o) {
    auto db = open_store(o);
    auto tx = db->begin_in(store::Access::read, store::Scope::system());
    const std::int64_t now = clock::unix_ms();
    std::printf("%-32s %-12s %-6s %-9s %-5s %8s %15s %s\n", "NAME", "NODE", "DRIVER", "STATE",
                "LIVE", "LINODES", "MEMORY USED MB", "REGIONS");
    for (const auto& h : hosts::HostRepository(*tx).all())
        std::printf("%-32s %-12s %-6s %-9s %-5s %8lld %7lld/%-7lld %s\n", h.name.c_str(),
                    h.node.c_str(), h.driver.c_str(), h.state.c_str(),
                    h.lease_until > now ? "yes" : "no", static_cast<long long>(h.linodes),
                    static_cast<long long>(h.memory_used), static_cast<long long>(h.memory),
                    joined(h.regions).c_str());
}

void drain_host(const HostOptions& o) {
    auto db = open_store(o.store);
    auto tx = db->begin_in(store::Access::write, store::Scope::system());
    auto drained = hosts::drain(*tx, o.name);
    if (!drained) throw CLI::ValidationError("NAME", "no host or node named " + o.name);
    tx->commit();
    std::cout << "drained " << drained->hosts << " host(s): " << drained->moved
              << " Linode(s) moved, " << drained->scheduled << " migration(s) scheduled, "
              << drained->stayed << " Linode(s) stayed (no room elsewhere)" << std::endl;
}

void activate_host(const HostOptions& o) {
    auto db = open_store(o.store);
    auto tx = db->begin_in(store::Access::write, store::Scope::system());
    if (!hosts::activate(*tx, o.name))
        throw CLI::ValidationError("NAME", "no host or node named " + o.name);
    tx->commit();
    std::cout << o.name << " takes Linodes again" << std::endl;
}

}  // namespace

void add_hosts(CLI::App& app) {
    auto* host = app.add_subcommand("host", "Compute hosts");
    host->require_subcommand(1);

    auto list_options = std::make_shared<StoreOptions>();
    auto* list = host->add_subcommand("list", "List hosts: node, driver, state, Linodes, room");
    add_store_options(*list, *list_options);
    list->callback([list_options] { list_hosts(*list_options); });

    auto drain_options = std::make_shared<HostOptions>();
    auto* drain = host->add_subcommand(
        "drain", "Move a host's Linodes elsewhere (sim) or schedule their migration (qemu)");
    add_store_options(*drain, drain_options->store);
    drain->add_option("name", drain_options->name, "A host's name, or a node's (all its hosts)")
        ->required();
    drain->callback([drain_options] { drain_host(*drain_options); });

    auto activate_options = std::make_shared<HostOptions>();
    auto* activate = host->add_subcommand("activate", "Let a drained host take Linodes again");
    add_store_options(*activate, activate_options->store);
    activate->add_option("name", activate_options->name, "A host's name, or a node's")->required();
    activate->callback([activate_options] { activate_host(*activate_options); });
}

}  // namespace linnet::cli
