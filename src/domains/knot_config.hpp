// What Knot DNS is told, as text: the folder linnetd gives knotd (configuration, zone files,
// control socket, pid file, log, databases) and the knot.conf that names its zones.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace linnet::domains::knot_config {

// Where everything of one knotd lives; nothing of it is outside `root`, so that several
// servers can run side by side, each with its own folder and port.
struct Folder {
    std::filesystem::path root;  // absolute

    std::filesystem::path conf() const { return root / "knot.conf"; }
    std::filesystem::path socket() const { return root / "knot.sock"; }
    std::filesystem::path pid_file() const { return root / "knot.pid"; }
    std::filesystem::path log() const { return root / "knotd.log"; }
    std::filesystem::path zones() const { return root / "zones"; }
    std::filesystem::path zone_file(const std::string& zone) const {
        return zones() / (zone + ".zone");
    }
    // The journal, timer and key databases (empty: no journal, no DNSSEC, no transfers).
    std::filesystem::path storage() const { return root / "db"; }
};

// "HOST:PORT", HOST an IPv4 address or an IPv6 one in brackets ("[::1]:53"), as knot.conf's
// "ADDRESS@PORT"; nullopt when it is not that.
std::optional<std::string> listen_address(const std::string& listen);

// Whether `name` is a zone name linnetd puts in knot.conf: dot-separated labels of letters,
// digits and hyphens (1 to 63 characters each, 253 in all), no trailing dot.
bool zone_name(const std::string& name);

// Why `folder` cannot hold a knotd ("" when it can): a path that cannot be written between
// double quotes in knot.conf, or a control socket path too long for a UNIX socket.
std::string folder_problem(const Folder& folder);

// The whole knot.conf: `address` from listen_address(), `zones` checked with zone_name(), each
// with the IP addresses that may transfer it (an ACL of its own; none: no transfer).
std::string text(const Folder& folder, const std::string& address,
                 const std::map<std::string, std::vector<std::string>>& zones);

// Whether `address` is an IPv4 or IPv6 address (what an ACL may name).
bool ip_address(const std::string& address);

}  // namespace linnet::domains::knot_config
