// Each entity's services as the catalog prices them, and the lines that follow them.
#include "billing/meter.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "account/account_repository.hpp"
#include "billing/prices.hpp"
#include "billing/usage_repository.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/clock.hpp"
#include "core/month.hpp"
#include "hosts/host_repository.hpp"
#include "images/image_repository.hpp"
#include "linodes/linode_repository.hpp"
#include "nodebalancers/nodebalancer_repository.hpp"
#include "stats/usage_repository.hpp"
#include "volumes/volume_repository.hpp"

namespace linnet::billing {

namespace json = boost::json;

namespace {

// What one entity costs from now on, or nothing (it is gone). `build` makes the lines, and is
// asked only when the running lines differ from `keys` (the lookups it makes are spared on the
// many writes that change nothing billed); `ahead` then announces the reads it makes, which go
// with the account's.
struct Key {
    std::string service;
    std::string plan;
    std::optional<std::string> region;
};

bool same(const UsageLine& l, std::int64_t account_id, const Key& k) {
    return l.account_id == account_id && l.service == k.service && l.plan == k.plan &&
           l.region == k.region;
}

template <class Build, class Ahead = void (*)()>
void follow(
    store::Transaction& tx, const std::string& entity_type, std::int64_t entity_id,
    std::int64_t account_id, const std::vector<Key>& keys, Build build, Ahead ahead = [] {},
    bool first = false) {
    UsageRepository usage(tx);
    // What new lines would need is read with the lines that run (one round trip on PostgreSQL).
    if (!keys.empty()) {
        ahead();
        account::AccountRepository(tx).read_ahead_is_cancelled(account_id);
    }
    const auto running = first ? std::vector<UsageLine>{} : usage.running(entity_type, entity_id);
    bool unchanged = running.size() == keys.size();
    for (std::size_t i = 0; unchanged && i < keys.size(); ++i)
        unchanged = same(running[i], account_id, keys[i]);
    if (unchanged) return;
    const std::int64_t now = clock::unix_seconds();
    // A cancelled account is billed for nothing more (its lines ended when it was cancelled).
    std::vector<UsageLine> wanted;
    if (keys.empty() || !account::AccountRepository(tx).is_cancelled(account_id)) wanted = build();
    // Lines that still hold run on; the others end, and what is new starts.
    std::vector<bool> kept(wanted.size(), false);
    for (const auto& line : running) {
        bool holds = false;
        for (std::size_t i = 0; i < wanted.size() && !holds; ++i)
            if (!kept[i] &&
                same(line, account_id, {wanted[i].service, wanted[i].plan, wanted[i].region})) {
                kept[i] = holds = true;
            }
        if (holds) continue;
        usage.close(line.id, now);
        if (line.service == "linode" && line.metered) {
            const std::string month = month_at(now).name;
            usage.mark_transfer_end(
                line.account_id, line.entity_id, month,
                stats::UsageRepository(tx).transfer(line.entity_id, month).bytes_out);
        }
    }
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (kept[i]) continue;
        UsageLine l = std::move(wanted[i]);
        l.account_id = account_id;
        l.entity_type = entity_type;
        l.entity_id = entity_id;
        l.started = now;
        usage.open(l);
        if (l.service == "linode" && l.metered) {
            const std::string month = month_at(now).name;
            usage.mark_transfer_start(
                account_id, entity_id, month,
                stats::UsageRepository(tx).transfer(entity_id, month).bytes_out);
        }
    }
}

UsageLine line(std::string service, std::string plan, std::string label,
               std::optional<std::string> region, Price price) {
    UsageLine l;
    l.service = std::move(service);
    l.plan = std::move(plan);
    l.label = std::move(label);
    l.region = std::move(region);
    l.hourly_micros = price.hourly_micros;
    l.monthly_micros = price.monthly_micros;
    return l;
}

Price times(Price p, std::int64_t n) {
    return {p.hourly_micros * n, p.monthly_micros * n};
}

std::string text_of(const json::object& doc, const char* key, const std::string& fallback) {
    const auto* v = doc.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : fallback;
}

bool backups_enabled(const linodes::Instance& l) {
    const auto* backups = l.settings.if_contains("backups");
    if (!backups || !backups->is_object()) return false;
    const auto* enabled = backups->as_object().if_contains("enabled");
    return enabled && enabled->is_bool() && enabled->as_bool();
}

}  // namespace

void meter(store::Transaction& tx, const linodes::Instance& l, bool first) {
    std::vector<Key> keys{{"linode", l.type, l.region}};
    const bool backups = backups_enabled(l);
    if (backups) keys.push_back({"backups", l.type, l.region});
    follow(
        tx, "linode", l.id, l.account_id, keys,
        [&] {
            std::vector<UsageLine> out;
            const auto type = catalog::CatalogRepository(tx).find_type(l.type);
            const json::object none;
            const json::object& doc = type ? *type : none;
            const std::string name = text_of(doc, "label", l.type);
            const std::string who = " - " + l.label + " (" + std::to_string(l.id) + ")";
            UsageLine plan = line("linode", l.type, name + who, l.region, price_in(doc, l.region));
            if (const auto* gb = doc.if_contains("transfer"); gb && gb->is_number())
                plan.transfer_gb = gb->to_number<std::int64_t>();
            if (l.host_id)
                if (auto driver = hosts::HostRepository(tx).driver_of(*l.host_id))
                    plan.metered = *driver != "sim";
            out.push_back(std::move(plan));
            if (backups) {
                const json::object* addon = nullptr;
                if (const auto* addons = doc.if_contains("addons"); addons && addons->is_object())
                    if (const auto* b = addons->as_object().if_contains("backups");
                        b && b->is_object())
                        addon = &b->as_object();
                out.push_back(line("backups", l.type, "Backup Service - " + name + who, l.region,
                                   addon ? price_in(*addon, l.region) : Price{}));
            }
            return out;
        },
        [&] {
            if (l.host_id) hosts::HostRepository(tx).read_ahead_driver_of(*l.host_id);
        },
        first);
}

void meter(store::Transaction& tx, const volumes::Volume& v) {
    const std::string plan = std::to_string(v.size);
    follow(tx, "volume", v.id, v.account_id, {{"volume", plan, v.region}}, [&] {
        return std::vector<UsageLine>{line("volume", plan,
                                           "Volume - " + v.label + " (" + plan + " GB)", v.region,
                                           times(price_in(volume_type(), v.region), v.size))};
    });
}

void meter(store::Transaction& tx, const nodebalancers::NodeBalancer& nb) {
    follow(tx, "nodebalancer", nb.id, nb.account_id, {{"nodebalancer", "nodebalancer", nb.region}},
           [&] {
               return std::vector<UsageLine>{
                   line("nodebalancer", "nodebalancer",
                        "NodeBalancer - " + nb.label + " (" + std::to_string(nb.id) + ")",
                        nb.region, price_in(nodebalancer_type(), nb.region))};
           });
}

void meter(store::Transaction& tx, const images::PrivateImage& image) {
    // An available image is billed by the GB (started) in each region it is kept in.
    std::vector<Key> keys;
    const std::int64_t gb = (image.size + 1023) / 1024;
    const std::int64_t copies = std::max<std::int64_t>(
        1, std::count_if(image.regions.begin(), image.regions.end(),
                         [](const images::ImageRegion& r) { return r.status == "available"; }));
    const std::string plan = std::to_string(gb * copies);
    if (image.status == "available" && gb > 0) keys.push_back({"image", plan, std::nullopt});
    follow(tx, "image", image.number, image.account_id, keys, [&] {
        std::vector<UsageLine> out;
        if (!keys.empty())
            out.push_back(line("image", plan, "Image - " + image.label + " (" + plan + " GB)",
                               std::nullopt,
                               times(price_in(image_storage_type(), ""), gb * copies)));
        return out;
    });
}

void stop(store::Transaction& tx, const std::string& entity_type, std::int64_t entity_id) {
    follow(tx, entity_type, entity_id, 0, {}, [] { return std::vector<UsageLine>{}; });
}

}  // namespace linnet::billing
