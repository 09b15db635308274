// Running host programs (qemu-img, mkfs, debugfs, qemu) without a shell: argv in, exit status
// and output back.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace linnet::compute {

struct RunResult {
    int status = -1;     // exit status, or -1 when the program could not be started
    std::string output;  // standard output and standard error, interleaved
};

// `cgroup_procs`: the cgroup.procs file of a cgroup (v2) the program runs in from its start (and
// what it forks), so that the sockets it opens are the cgroup's; empty: linnetd's own.
RunResult run(const std::vector<std::string>& argv, const std::string& input = "",
              const std::filesystem::path& cgroup_procs = {});
// Runs and throws std::runtime_error with the program's output when it fails.
std::string run_checked(const std::vector<std::string>& argv, const std::string& input = "");

}  // namespace linnet::compute
