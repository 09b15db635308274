// Publishing Domains: the process that holds the cluster's "dns" duty runs the DNS server and
// gives it every active master zone, rendering again only the zones whose serial moved; a
// process that loses the duty (or never had it) stops its server.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "domains/dns_server.hpp"
#include "store/database.hpp"

namespace linnet::domains {

class Publisher {
  public:
    // `server`: the DNS server this process would run (--dns-listen).
    Publisher(store::Database& db, std::unique_ptr<DnsServer> server)
        : db_(db), server_(std::move(server)) {}

    // Called by the worker's heartbeat; `holds`: whether this process holds the dns duty.
    void sync(bool holds);
    // What is wrong with serving DNS, or "" (for /healthz).
    std::string problem() const;
    void stop();

  private:
    store::Database& db_;
    std::unique_ptr<DnsServer> server_;
    std::map<std::string, ServedZone> served_;
    bool serving_ = false;
    mutable std::mutex mutex_;
    std::string problem_;
};

}  // namespace linnet::domains
