// Per-Linode cgroups and the nftables counters that match their sockets.
#include "compute/qemu/guest_traffic.hpp"

#include "compute/qemu/private_networks.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "compute/process.hpp"

namespace linnet::compute::guest_traffic {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// nft looks cgroup paths up under this folder.
const fs::path kNftCgroupBase = "/sys/fs/cgroup";
// MOUNT/linnet/<table>/linode-N: the depth of a Linode's cgroup in the hierarchy.
constexpr int kLinodeLevel = 3;

std::string counter_name(std::int64_t linode_id, const char* direction) {
    return "linode_" + std::to_string(linode_id) + "_" + direction;
}

// A stable name for the data folder (FNV-1a of its path).
std::string fingerprint(const fs::path& data) {
    std::error_code ec;
    const std::string path = fs::weakly_canonical(data, ec).string();
    std::uint32_t h = 2166136261u;
    for (unsigned char c : path) h = (h ^ c) * 16777619u;
    char out[9];
    std::snprintf(out, sizeof out, "%08x", h);
    return out;
}

std::string slurp(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

std::optional<fs::path> cgroup2_mount(std::string_view mounts) {
    std::istringstream lines{std::string(mounts)};
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string device, point, type;
        if (fields >> device >> point >> type && type == "cgroup2") return fs::path(point);
    }
    return std::nullopt;
}

std::string ruleset(const std::string& table, const std::set<std::int64_t>& linodes,
                    const std::map<std::int64_t, std::string>& cgroup_of, int level) {
    const std::string t = "inet " + table;
    std::string s = "add table " + t + "\n";
    for (const char* chain : {"input", "output"})
        s += "add chain " + t + " " + chain + " { type filter hook " + chain +
             " priority 0; policy accept; }\nflush chain " + t + " " + chain +
             "\n"
             // The private networks' segments are not the guests' public transfer.
             "add rule " +
             t + " " + chain + " ip daddr " + private_networks::kGroups + " accept\n";
    for (const auto id : linodes) {
        const auto path = cgroup_of.find(id);
        if (path == cgroup_of.end()) continue;
        const std::string match =
            " socket cgroupv2 level " + std::to_string(level) + " \"" + path->second + "\"";
        for (const char* direction : {"in", "out"}) {
            const std::string name = counter_name(id, direction);
            s += "add counter " + t + " " + name + "\n";
            s += "add rule " + t + (direction[0] == 'i' ? " input" : " output") + match +
                 " counter name " + name + "\n";
        }
    }
    return s;
}

std::map<std::int64_t, Bytes> parse_counters(std::string_view text) {
    std::map<std::int64_t, Bytes> out;
    std::error_code ec;
    const auto doc = json::parse(text, ec);
    if (ec || !doc.is_object()) return out;
    const auto* items = doc.as_object().if_contains("nftables");
    if (!items || !items->is_array()) return out;
    for (const auto& item : items->as_array()) {
        const auto* counter = item.is_object() ? item.as_object().if_contains("counter") : nullptr;
        if (!counter || !counter->is_object()) continue;
        const auto& c = counter->as_object();
        const auto* name = c.if_contains("name");
        const auto* bytes = c.if_contains("bytes");
        if (!name || !name->is_string() || !bytes || !bytes->is_number()) continue;
        const std::string_view n = name->as_string();
        if (n.rfind("linode_", 0) != 0) continue;
        const auto underscore = n.rfind('_');
        std::int64_t id = 0;
        const auto digits = n.substr(7, underscore - 7);
        if (std::from_chars(digits.data(), digits.data() + digits.size(), id).ec != std::errc{})
            continue;
        const std::string_view direction = n.substr(underscore + 1);
        auto& b = out[id];
        (direction == "in" ? b.in : b.out) = bytes->to_number<double>();
    }
    return out;
}

Accounting::Accounting(const fs::path& data) : data_(data), table_("linnet_" + fingerprint(data)) {}

fs::path Accounting::cgroup(std::int64_t linode_id) const {
    return root_ / ("linode-" + std::to_string(linode_id));
}

bool Accounting::ready() {
    if (ready_) return *ready_;
    const auto fail = [&](const std::string& why) {
        spdlog::warn("guests' network traffic is not counted on loopback networking: {}", why);
        ready_ = false;
        return false;
    };
    const auto mount = cgroup2_mount(slurp("/proc/self/mounts"));
    if (!mount) return fail("cgroup v2 is not mounted");
    const fs::path relative = mount->lexically_relative(kNftCgroupBase);
    if (relative.empty() || *relative.begin() == "..")
        return fail("cgroup v2 is mounted at " + mount->string() + ", not under /sys/fs/cgroup");
    mount_ = *mount;
    root_ = mount_ / "linnet" / table_;
    std::error_code ec;
    fs::create_directories(root_, ec);
    if (ec) return fail("cannot make " + root_.string() + ": " + ec.message());
    // The Linodes counted before this server (re)started.
    for (const auto& entry : fs::directory_iterator(root_, ec)) {
        const std::string name = entry.path().filename().string();
        std::int64_t id = 0;
        if (name.rfind("linode-", 0) == 0 &&
            std::from_chars(name.data() + 7, name.data() + name.size(), id).ec == std::errc{})
            linodes_.insert(id);
    }
    try {
        apply();
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    // Where a test or an operator finds what to remove with the data folder.
    std::ofstream(data_ / "guest-traffic") << table_ << "\n" << root_.string() << "\n";
    ready_ = true;
    return true;
}

void Accounting::apply() {
    std::map<std::int64_t, std::string> paths;
    for (const auto id : linodes_)
        paths[id] = (cgroup(id).lexically_relative(kNftCgroupBase)).string();
    run_checked({"nft", "-f", "-"}, ruleset(table_, linodes_, paths, kLinodeLevel));
}

std::optional<std::string> Accounting::socket_match(std::int64_t linode_id) {
    std::lock_guard lock(mutex_);
    if (!ready() || !linodes_.count(linode_id)) return std::nullopt;
    return "socket cgroupv2 level " + std::to_string(kLinodeLevel) + " \"" +
           cgroup(linode_id).lexically_relative(kNftCgroupBase).string() + "\"";
}

std::optional<fs::path> Accounting::enter(std::int64_t linode_id) {
    std::lock_guard lock(mutex_);
    if (!ready()) return std::nullopt;
    std::error_code ec;
    fs::create_directories(cgroup(linode_id), ec);
    if (ec) {
        spdlog::warn("Linode {}'s traffic is not counted: {}", linode_id, ec.message());
        return std::nullopt;
    }
    if (linodes_.insert(linode_id).second) {
        try {
            apply();
        } catch (const std::exception& e) {
            linodes_.erase(linode_id);
            spdlog::warn("Linode {}'s traffic is not counted: {}", linode_id, e.what());
            return std::nullopt;
        }
    }
    return cgroup(linode_id) / "cgroup.procs";
}

std::map<std::int64_t, Bytes> Accounting::read() {
    std::lock_guard lock(mutex_);
    if (!ready() || linodes_.empty()) return {};
    auto listed = run({"nft", "-j", "list", "counters", "table", "inet", table_});
    if (listed.status != 0) return {};
    auto counts = parse_counters(listed.output);
    std::erase_if(counts, [&](const auto& c) { return !linodes_.count(c.first); });
    return counts;
}

void Accounting::forget(std::int64_t linode_id) {
    std::lock_guard lock(mutex_);
    if (!ready_.value_or(false) || !linodes_.count(linode_id)) return;
    const fs::path dir = cgroup(linode_id);
    // Whatever the VM left (a metadata relay) goes with it.
    std::ofstream(dir / "cgroup.kill") << "1";
    std::error_code ec;
    for (int i = 0; i < 40 && fs::exists(dir) && !fs::remove(dir, ec); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    linodes_.erase(linode_id);
    try {
        apply();
        for (const char* direction : {"in", "out"})
            run({"nft", "delete", "counter", "inet", table_, counter_name(linode_id, direction)});
    } catch (const std::exception& e) {
        spdlog::warn("Linode {}'s traffic counters stay: {}", linode_id, e.what());
    }
}

}  // namespace linnet::compute::guest_traffic
