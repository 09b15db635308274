// What a running VM has used, read from where the host keeps it: the process's CPU time
// (/proc/PID/stat), its drives' bytes (QMP query-blockstats) and, on bridge networking, its tap
// device's byte counts (/sys/class/net/TAP/statistics).
#pragma once

#include <sys/types.h>
#include <filesystem>
#include <string>

#include "compute/driver.hpp"

namespace linnet::compute::qemu_counters {

// Nothing when the process is gone. `tap` empty: no network counts (loopback networking).
std::optional<Counters> read(pid_t pid, const std::filesystem::path& qmp_socket,
                             const std::string& tap);

// The CPU seconds of a /proc/PID/stat line (utime + stime, fields 14 and 15).
std::optional<double> cpu_seconds_of_stat(const std::string& stat, long ticks_per_second);

}  // namespace linnet::compute::qemu_counters
