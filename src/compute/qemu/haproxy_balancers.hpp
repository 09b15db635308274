// The HAProxy that serves a host's NodeBalancers: one master-worker HAProxy kept in a folder of
// its own, given the NodeBalancers whole at every look, reloaded without refusing a connection or
// dropping one when they change, stopped when there are none; and their health read back.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "nodebalancers/balancer.hpp"

namespace linnet::compute::haproxy {

class Balancers {
  public:
    // `folder` holds haproxy.cfg, the pid file, the admin and master sockets and the https
    // ports' certificates; `program` is HAProxy 2.6 or later.
    explicit Balancers(std::filesystem::path folder,
                       std::filesystem::path program = "/usr/sbin/haproxy");
    // Stops the HAProxy this object started or took over.
    ~Balancers();
    Balancers(const Balancers&) = delete;
    Balancers& operator=(const Balancers&) = delete;

    // Makes HAProxy serve exactly these NodeBalancers: starts it, reloads it when they changed
    // (a certificate too), starts it again when it died, stops it when there are none. A HAProxy
    // left in the folder by an earlier process is taken over. False, with the reasons logged,
    // when not everything could be served; what could be is served still (a port with a bad
    // certificate, or one another program holds, is left out). Never throws.
    bool serve(const std::vector<nodebalancers::Balancer>& balancers);

    // What the serving HAProxy knows of the nodes and ports (nothing when none serves).
    nodebalancers::Health health() const;

    // The HAProxy master process serving now, 0 when none is known.
    pid_t master() const;

  private:
    bool serve_locked(const std::vector<nodebalancers::Balancer>& balancers);
    bool running();
    bool start();
    bool reload();
    void stop();
    void adopt_leftover();
    bool master_ready() const;
    bool is_ours(pid_t pid) const;
    void remove_stale_certificates(const std::vector<std::filesystem::path>& keep) const;

    std::filesystem::path folder_;
    std::filesystem::path program_;
    std::filesystem::path config_;
    std::filesystem::path pid_file_;
    std::filesystem::path master_socket_;
    std::filesystem::path certificates_;
    mutable std::mutex mutex_;
    pid_t master_ = 0;
    // The configuration and certificates in force: what serve() compares with to see a change.
    std::string served_;
    std::string reported_;  // the problems last logged
};

// `show stat`'s CSV as Linnet's health: per node (server rows) UP, DOWN or unknown (checks not
// run yet), per port (frontend rows) its sessions and bytes. Rows of other sections are ignored.
nodebalancers::Health read_stat(std::string_view csv);

}  // namespace linnet::compute::haproxy
