// Rendering the zones that changed and handing them all to the DNS server.
#include "domains/publisher.hpp"

#include <spdlog/spdlog.h>

#include "domains/domain_repository.hpp"
#include "domains/zone_file.hpp"

namespace linnet::domains {

void Publisher::sync(bool holds) {
    if (!holds) {
        if (serving_) stop();
        return;
    }
    std::vector<ServedZone> zones;
    {
        auto tx = db_.begin_in(store::Access::read, store::Scope::system());
        DomainRepository repo(*tx);
        std::map<std::string, ServedZone> next;
        for (const auto& [name, serial] : repo.served_serials()) {
            const auto it = served_.find(name);
            if (it != served_.end() && it->second.serial == serial) {
                next.emplace(name, std::move(it->second));
                continue;
            }
            auto zone = repo.zone(name);
            if (!zone) continue;
            next.emplace(
                name, ServedZone{name, zone->domain.serial, zone_text(zone->domain, zone->records),
                                 zone->domain.axfr_ips});
        }
        tx->commit();
        served_ = std::move(next);
    }
    // A process with no zone to answer starts no server.
    if (served_.empty() && !serving_) return;
    zones.reserve(served_.size());
    for (const auto& [name, zone] : served_) zones.push_back(zone);
    serving_ = true;
    const bool ok = server_->serve(zones);
    std::lock_guard lock(mutex_);
    const std::string now = ok ? "" : server_->problem();
    if (now != problem_ && !now.empty()) spdlog::warn("DNS: {}", now);
    problem_ = now;
}

std::string Publisher::problem() const {
    std::lock_guard lock(mutex_);
    return problem_;
}

void Publisher::stop() {
    server_->stop();
    served_.clear();
    serving_ = false;
}

}  // namespace linnet::domains
