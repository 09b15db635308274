// knotd as a child of linnetd: run in the foreground on its folder's knot.conf, its output in
// the folder's log, asked things with knotc on the control socket, stopped with SIGTERM, and
// ended with linnetd should linnetd be killed. A knotd still left running on the same folder
// (one started otherwise, or stuck) is found by its pid file, its command line or its control
// socket, and stopped before a new one starts.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "compute/process.hpp"
#include "domains/knot_config.hpp"

namespace linnet::domains {

class KnotDaemon {
  public:
    explicit KnotDaemon(knot_config::Folder folder);
    // Stops knotd.
    ~KnotDaemon();
    KnotDaemon(const KnotDaemon&) = delete;
    KnotDaemon& operator=(const KnotDaemon&) = delete;

    // Starts knotd on the folder's knot.conf, a leftover stopped first, and waits until its
    // control socket answers: "" then, else why it did not (knotd's own words when it left
    // any in its log).
    std::string start();
    // Whether the knotd started here still runs; one that ended is reaped and forgotten.
    bool running();
    // Stops knotd and waits for it to end.
    void stop();
    // knotc with these arguments on the control socket; `timeout_s` bounds each exchange.
    compute::RunResult control(const std::vector<std::string>& arguments, int timeout_s) const;

    pid_t pid() const { return pid_; }

  private:
    void stop_leftovers();

    knot_config::Folder folder_;
    pid_t pid_ = 0;
};

}  // namespace linnet::domains
