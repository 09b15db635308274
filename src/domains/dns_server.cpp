// DnsServer on Knot DNS: a zone's file is rewritten when its text changes, knot.conf is
// rewritten and reloaded when the set of zones changes, and exactly the new, changed and
// formerly refused zones are reloaded, each one knotd refuses named with knotd's reason. With
// no zone at all knotd keeps running, answering REFUSED, so that its port stays Linnet's.
#include "domains/dns_server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "domains/knot_config.hpp"
#include "domains/knot_daemon.hpp"

namespace linnet::domains {

namespace fs = std::filesystem;

namespace {

// How long knotd may take over a blocking reload of every zone at once, and over reading its
// configuration again.
constexpr int kZoneReloadTimeout = 300;
constexpr int kReloadTimeout = 60;

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Through a temporary file and a rename: knotd reads the old text or the new, never part of it.
void write_file(const fs::path& path, const std::string& text) {
    fs::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + temporary.string());
    }
    fs::rename(temporary, path);
}

// A name as it may be shown in a problem: what is not printable escaped.
std::string printable(const std::string& name) {
    std::string out;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f && c != '\\') {
            out += c;
            continue;
        }
        static const char digits[] = "0123456789abcdef";
        out += std::string("\\x") + digits[byte >> 4] + digits[byte & 15];
    }
    return out;
}

std::string lowercase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// The zones a blocking `knotc zone-reload` says it could not load: "error: [NAME] (failed)".
std::set<std::string> refused_zones(const std::string& output) {
    std::set<std::string> refused;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("error: [", 0) != 0) continue;
        const auto close = line.find(']');
        if (close == std::string::npos) continue;
        std::string zone = lowercase(line.substr(8, close - 8));
        if (!zone.empty() && zone.back() == '.') zone.pop_back();
        refused.insert(zone);
    }
    return refused;
}

// Knot's reason for refusing a zone file, from a check it makes without the server: its error
// lines about the zone, less those that only say that it failed.
std::string refusal_reason(const KnotDaemon& knotd, const fs::path& log, const std::string& zone) {
    const auto check = knotd.control({"zone-check", zone}, kReloadTimeout);
    const std::string prefix = "error: [" + zone + ".] ";
    std::istringstream in(check.output);
    std::string reason;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(prefix, 0) != 0) continue;
        line = line.substr(prefix.size());
        if (line.find("failed to load zone") != std::string::npos ||
            line.find("failed to check zone file") != std::string::npos)
            continue;
        reason += (reason.empty() ? "" : "; ") + line;
    }
    return reason.empty() ? "knotd's log says why: " + log.string() : reason;
}

}  // namespace

struct DnsServer::State {
    State(fs::path root, std::string listen_)
        : folder{fs::absolute(root)},
          listen(std::move(listen_)),
          address(knot_config::listen_address(listen)),
          knotd(folder) {}

    bool serve(const std::vector<ServedZone>& zones);
    // The zones to answer, by checked name; what is wrong with the others goes to `problems`.
    std::map<std::string, const ServedZone*> wanted(const std::vector<ServedZone>& zones,
                                                    std::vector<std::string>& problems) const;
    void write_zone_files(const std::map<std::string, const ServedZone*>& zones);
    void remove_zone_files(const std::map<std::string, const ServedZone*>& zones);
    void write_conf(const std::map<std::string, std::vector<std::string>>& zones) const;

    const knot_config::Folder folder;
    const std::string listen;
    const std::optional<std::string> address;
    KnotDaemon knotd;

    std::mutex mutex;
    std::map<std::string, std::string> written;  // zone → the text of its file
    std::map<std::string, std::vector<std::string>>
        configured;                               // the zones of the knot.conf knotd runs on
    std::map<std::string, std::string> answered;  // zone → the text knotd loaded and answers
    std::string problem;
    std::string reported;  // the problem last logged, so that a lasting one is logged once
};

std::map<std::string, const ServedZone*> DnsServer::State::wanted(
    const std::vector<ServedZone>& zones, std::vector<std::string>& problems) const {
    std::map<std::string, const ServedZone*> out;
    for (const auto& zone : zones) {
        // Names come checked; one that is not a name never reaches knot.conf.
        if (!knot_config::zone_name(zone.name)) {
            problems.push_back("zone \"" + printable(zone.name) + "\": not a zone name");
            continue;
        }
        const std::string name = lowercase(zone.name);
        if (!out.emplace(name, &zone).second)
            problems.push_back("zone " + name + ": given twice; the first one is answered");
    }
    return out;
}

void DnsServer::State::write_zone_files(const std::map<std::string, const ServedZone*>& zones) {
    fs::create_directories(folder.zones());
    for (const auto& [name, zone] : zones) {
        const auto known = written.find(name);
        if (known != written.end() && known->second == zone->text) continue;
        // A file left by an earlier linnetd is kept when it already says this.
        const fs::path file = folder.zone_file(name);
        if (known != written.end() || slurp(file) != zone->text) write_file(file, zone->text);
        written[name] = zone->text;
    }
}

void DnsServer::State::remove_zone_files(const std::map<std::string, const ServedZone*>& zones) {
    std::erase_if(written, [&](const auto& item) { return !zones.contains(item.first); });
    std::error_code ec;
    std::vector<fs::path> gone;
    for (const auto& entry : fs::directory_iterator(folder.zones(), ec)) {
        const std::string file = entry.path().filename().string();
        const bool zone_file = file.size() > 5 && file.ends_with(".zone");
        if (zone_file && zones.contains(file.substr(0, file.size() - 5))) continue;
        gone.push_back(entry.path());
    }
    for (const auto& path : gone) fs::remove(path, ec);
}

void DnsServer::State::write_conf(
    const std::map<std::string, std::vector<std::string>>& zones) const {
    fs::create_directories(folder.root);
    write_file(folder.conf(), knot_config::text(folder, *address, zones));
}

bool DnsServer::State::serve(const std::vector<ServedZone>& zones) {
    if (!address)
        throw std::runtime_error("the DNS listen address \"" + listen +
                                 "\" is not IPv4:PORT or [IPv6]:PORT");
    if (const auto why = knot_config::folder_problem(folder); !why.empty())
        throw std::runtime_error(why);
    std::vector<std::string> problems;
    const auto chosen = wanted(zones, problems);
    // Each zone with who may transfer it: a change of either rewrites knot.conf.
    std::map<std::string, std::vector<std::string>> names;
    for (const auto& [name, zone] : chosen) names[name] = zone->transfer_to;

    write_zone_files(chosen);
    if (!knotd.running()) {
        // A knotd that was never started, or died: it loads every zone on its start.
        write_conf(names);
        configured.clear();
        answered.clear();
        if (const auto why = knotd.start(); !why.empty()) throw std::runtime_error(why);
        configured = names;
    } else if (configured != names) {
        // Zones added or removed: knotd reads knot.conf again; the zones it keeps go on
        // answering meanwhile.
        write_conf(names);
        const auto reloaded = knotd.control({"reload"}, kReloadTimeout);
        if (reloaded.status != 0)
            throw std::runtime_error("knotd did not take the new set of zones: " + reloaded.output);
        configured = names;
        std::erase_if(answered, [&](const auto& item) { return !names.contains(item.first); });
    }
    remove_zone_files(chosen);

    // New, changed and formerly refused zones; blocking, so that each is answered on return.
    std::vector<std::string> to_load;
    for (const auto& [name, zone] : chosen) {
        const auto known = answered.find(name);
        if (known == answered.end() || known->second != zone->text) to_load.push_back(name);
    }
    if (!to_load.empty()) {
        std::vector<std::string> arguments{"-b", "zone-reload"};
        arguments.insert(arguments.end(), to_load.begin(), to_load.end());
        const auto reloaded = knotd.control(arguments, kZoneReloadTimeout);
        std::set<std::string> refused;
        if (reloaded.status != 0) {
            refused = refused_zones(reloaded.output);
            // knotc failed as a whole (knotd gone or not answering): no zone is known loaded.
            if (refused.empty())
                throw std::runtime_error("knotd did not reload the zones: " + reloaded.output);
        }
        for (const auto& name : to_load) {
            if (!refused.contains(name)) {
                answered[name] = chosen.at(name)->text;
                continue;
            }
            problems.push_back("zone " + name + ": knotd cannot load it: " +
                               refusal_reason(knotd, folder.log(), name) +
                               (answered.contains(name) ? " (its previous version is answered)"
                                                        : " (it is not answered)"));
        }
        spdlog::debug("dns: {} zone(s) loaded, {} refused", to_load.size() - refused.size(),
                      refused.size());
    }
    for (const auto& p : problems) problem += (problem.empty() ? "" : "; ") + p;
    return problems.empty();
}

DnsServer::DnsServer(fs::path folder, std::string listen)
    : state_(std::make_unique<State>(std::move(folder), std::move(listen))) {}

DnsServer::~DnsServer() = default;

bool DnsServer::serve(const std::vector<ServedZone>& zones) {
    std::lock_guard lock(state_->mutex);
    state_->problem.clear();
    bool served = false;
    try {
        served = state_->serve(zones);
    } catch (const std::exception& e) {
        state_->problem = e.what();
    }
    if (state_->problem != state_->reported && !state_->problem.empty())
        spdlog::error("dns: {}", state_->problem);
    state_->reported = state_->problem;
    return served;
}

std::string DnsServer::problem() const {
    std::lock_guard lock(state_->mutex);
    return state_->problem;
}

void DnsServer::stop() {
    std::lock_guard lock(state_->mutex);
    state_->knotd.stop();
    state_->configured.clear();
    state_->answered.clear();
}

}  // namespace linnet::domains
