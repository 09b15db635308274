// Answering the Metadata service's routes from the store.
#include "metadata/metadata_service.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "account/account_repository.hpp"
#include "backups/backup_repository.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "linodes/address_repository.hpp"
#include "linodes/config_repository.hpp"
#include "linodes/linode_repository.hpp"
#include "linodes/provisioning.hpp"
#include "metadata/metadata_repository.hpp"

namespace linnet::metadata {

namespace json = boost::json;

namespace {

constexpr std::int64_t kDefaultExpiry = 3600;
constexpr std::int64_t kMaxExpiry = 86400;

Response error(unsigned status, const std::string& reason) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = to_json(json::object{{"errors", json::array{json::object{{"reason", reason}}}}});
    return r;
}

bool wants_json(const Request& r) {
    return r.accept.find("application/json") != std::string::npos;
}

Response document(const Request& request, const json::object& doc) {
    Response r;
    if (wants_json(request)) {
        r.content_type = "application/json";
        r.body = to_json(doc);
    } else {
        r.body = flatten(doc);
    }
    return r;
}

void flatten_into(const std::string& prefix, const json::value& v,
                  std::vector<std::string>& lines) {
    if (v.is_object()) {
        for (const auto& [key, inner] : v.as_object())
            flatten_into(prefix.empty() ? std::string(key) : prefix + "." + std::string(key), inner,
                         lines);
    } else if (v.is_array()) {
        for (const auto& item : v.as_array()) flatten_into(prefix, item, lines);
    } else if (v.is_string()) {
        if (!v.as_string().empty()) lines.push_back(prefix + ": " + std::string(v.as_string()));
    } else if (!v.is_null()) {
        lines.push_back(prefix + ": " + to_json(v));
    }
}

std::optional<linodes::Instance> find_linode(store::Database& db, std::int64_t id) {
    auto tx = db.begin_in(store::Access::read, store::Scope::system());
    return linodes::LinodeRepository(*tx).find(id);
}

std::optional<std::string> backup_status(store::Transaction& tx, const linodes::Instance& l) {
    const auto& backups = l.settings.at("backups").as_object();
    if (!backups.at("enabled").as_bool()) return std::nullopt;
    const auto list = backups::BackupRepository(tx).of_linode(l.id);
    if (list.empty() || list.front().status == "pending") return "pending";
    if (list.front().status == "running") return "running";
    return "complete";
}

json::object instance(store::Transaction& tx, const linodes::Instance& l) {
    json::array tags;
    for (const auto& t : l.tags) tags.push_back(json::string(t));
    json::value image = nullptr;
    if (l.image) {
        auto found = linodes::find_image(tx, *l.image, {"1=1", {}});
        image = json::object{{"id", *l.image},
                             {"label", found ? found->at("label") : json::value(*l.image)}};
    }
    json::value euuid = nullptr;
    if (auto account = account::AccountRepository(tx).find()) {
        const json::value doc = json::parse(account->doc);
        if (const auto* e = doc.as_object().if_contains("euuid")) euuid = *e;
    }
    const auto& specs = l.settings.at("specs").as_object();
    json::object out_specs;
    for (const char* key : {"vcpus", "memory", "gpus", "transfer", "disk"})
        out_specs[key] = specs.contains(key) ? specs.at(key) : json::value(0);
    const auto status = backup_status(tx, l);
    return json::object{
        {"id", l.id},
        {"host_uuid", l.settings.at("host_uuid")},
        {"label", l.label},
        {"region", l.region},
        {"type", l.type},
        {"tags", std::move(tags)},
        {"specs", std::move(out_specs)},
        {"backups", json::object{{"enabled", l.settings.at("backups").as_object().at("enabled")},
                                 {"status", status ? json::value(*status) : json::value(nullptr)}}},
        {"image", std::move(image)},
        {"account_euuid", std::move(euuid)}};
}

json::object network(store::Transaction& tx, const linodes::Instance& l) {
    json::array pub, priv, shared;
    json::value slaac = nullptr, link_local = nullptr;
    linodes::AddressRepository addresses(tx);
    for (const auto& a : addresses.of_linode(l.id)) {
        const std::string cidr = a.address + "/" + std::to_string(a.family == "ipv4" ? 32 : 128);
        if (a.family == "ipv4")
            (a.is_public ? pub : priv).push_back(json::string(cidr));
        else if (a.kind == "slaac")
            slaac = json::string(cidr);
        else if (a.kind == "link_local")
            link_local = json::string(a.address + "/64");
    }
    for (const auto& a : addresses.shared_with(l.id))
        shared.push_back(json::string(a.address + "/32"));
    // The interfaces of the config it boots (its first): none when the config has none (the
    // public interface is implicit then, as on Linode).
    json::array interfaces;
    linodes::ConfigRepository configs(tx);
    if (auto first = configs.first_id(l.id))
        if (auto config = configs.find(*first))
            if (const auto* list = config->if_contains("interfaces"); list && list->is_array())
                for (const auto& i : list->as_array()) {
                    const auto& itf = i.as_object();
                    auto field = [&](const char* key) {
                        const auto* v = itf.if_contains(key);
                        return v ? *v : json::value(nullptr);
                    };
                    interfaces.push_back(json::object{{"id", field("id")},
                                                      {"purpose", field("purpose")},
                                                      {"label", field("label")},
                                                      {"ipam_address", field("ipam_address")}});
                }
    return json::object{{"interfaces", std::move(interfaces)},
                        {"ipv4", json::object{{"public", std::move(pub)},
                                              {"private", std::move(priv)},
                                              {"shared", std::move(shared)}}},
                        {"ipv6", json::object{{"slaac", std::move(slaac)},
                                              {"link_local", std::move(link_local)},
                                              {"ranges", json::array{}},
                                              {"shared_ranges", json::array{}}}}};
}

std::optional<std::int64_t> expiry_of(const std::optional<std::string>& header) {
    if (!header) return kDefaultExpiry;
    std::int64_t value = 0;
    const auto* end = header->data() + header->size();
    auto [ptr, ec] = std::from_chars(header->data(), end, value);
    if (ec != std::errc() || ptr != end || value < 1 || value > kMaxExpiry) return std::nullopt;
    return value;
}

}  // namespace

std::string flatten(const json::object& doc) {
    std::vector<std::string> lines;
    flatten_into("", doc, lines);
    std::stable_sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) {
        return a.substr(0, a.find(": ")) < b.substr(0, b.find(": "));
    });
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

Response Service::answer(std::int64_t linode_id, const Request& request) const {
    std::string path = request.target.substr(0, request.target.find('?'));
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    static const std::vector<std::string> reads = {"/v1/instance", "/v1/network", "/v1/ssh-keys",
                                                   "/v1/user-data"};
    const bool is_read = std::find(reads.begin(), reads.end(), path) != reads.end();
    if (path != "/v1/token" && !is_read) return error(404, "Not found");
    if (path == "/v1/token" && request.method != "PUT") {
        auto r = error(405, "Method not allowed: PUT /v1/token issues a token");
        r.allow = "PUT";
        return r;
    }
    if (is_read && request.method != "GET" && request.method != "HEAD") {
        auto r = error(405, "Method not allowed");
        r.allow = "GET, HEAD";
        return r;
    }
    const auto linode = find_linode(db_, linode_id);
    if (!linode) return error(404, "Not found");
    const std::int64_t now = clock::unix_seconds();
    if (path == "/v1/token") {
        const auto expiry = expiry_of(request.expiry_seconds);
        if (!expiry)
            return error(400,
                         "Metadata-Token-Expiry-Seconds must be a whole number of seconds "
                         "from 1 to 86400");
        const std::string token = key_.issue(linode_id, now + *expiry);
        Response r;
        if (wants_json(request)) {
            r.content_type = "application/json";
            r.body = to_json(json::array{json::string(token)});
        } else {
            r.body = token;
        }
        return r;
    }
    if (!request.token || !key_.accepts(*request.token, linode_id, now))
        return error(401, "Unauthorized");
    auto tx = db_.begin_in(store::Access::read, store::Scope::account(linode->account_id));
    Response r;
    if (path == "/v1/instance") {
        r = document(request, instance(*tx, *linode));
    } else if (path == "/v1/network") {
        r = document(request, network(*tx, *linode));
    } else if (path == "/v1/ssh-keys") {
        json::array root;
        for (const auto& key : MetadataRepository(*tx).root_keys(linode_id))
            root.push_back(json::string(key));
        json::object users;
        if (!root.empty()) users["root"] = std::move(root);
        r = document(request, json::object{{"users", std::move(users)}});
    } else {
        r.body = MetadataRepository(*tx).user_data(linode_id).value_or("");
    }
    tx->commit();
    return r;
}

}  // namespace linnet::metadata
