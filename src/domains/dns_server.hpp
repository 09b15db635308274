// The authoritative DNS server that answers every master zone of every account: Knot DNS
// (knotd), run by linnetd with a configuration and zone files it writes in a folder of its own,
// listening on --dns-listen. Zones are given whole at every look; only those that changed are
// written and reloaded, so that a record change is answered within a moment and no other zone
// stops answering meanwhile.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace linnet::domains {

// One zone as the server is to answer it.
struct ServedZone {
    std::string name;         // "example.com" (no trailing dot)
    std::int64_t serial = 0;  // the SOA serial inside `text`; a zone whose serial moved changed
    std::string text;         // the whole zone file (RFC 1035 master file), $ORIGIN name.
    // The addresses that may transfer the zone (AXFR); none: nobody.
    std::vector<std::string> transfer_to;
};

class DnsServer {
  public:
    // `folder`: where knotd's configuration, zone files, control socket and pid file live;
    // `listen`: "HOST:PORT" (UDP and TCP).
    DnsServer(std::filesystem::path folder, std::string listen);
    ~DnsServer();
    DnsServer(const DnsServer&) = delete;
    DnsServer& operator=(const DnsServer&) = delete;

    // Makes the server answer exactly these zones: starts knotd when it is not running,
    // writes the zone files that changed, and has knotd load new and changed zones and drop
    // removed ones. False (the reason kept for problem()) when it could not; never throws for
    // that.
    bool serve(const std::vector<ServedZone>& zones);
    // Why the last serve() failed, or "" when it did not.
    std::string problem() const;
    // Stops knotd.
    void stop();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace linnet::domains
