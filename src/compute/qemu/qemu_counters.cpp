// Reading a VM's counters.
#include "compute/qemu/qemu_counters.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "compute/qemu/qmp.hpp"

namespace linnet::compute::qemu_counters {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::optional<double> number_in(const fs::path& file) {
    std::ifstream in(file);
    double value = 0;
    if (!(in >> value)) return std::nullopt;
    return value;
}

}  // namespace

std::optional<double> cpu_seconds_of_stat(const std::string& stat, long ticks_per_second) {
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    const auto close = stat.rfind(')');
    if (close == std::string::npos || ticks_per_second <= 0) return std::nullopt;
    std::istringstream rest(stat.substr(close + 1));
    std::string field;
    double utime = 0, stime = 0;
    // Fields 3..13, then 14 (utime) and 15 (stime).
    for (int i = 3; i <= 13; ++i)
        if (!(rest >> field)) return std::nullopt;
    if (!(rest >> utime >> stime)) return std::nullopt;
    return (utime + stime) / static_cast<double>(ticks_per_second);
}

std::optional<Counters> read(pid_t pid, const fs::path& qmp_socket, const std::string& tap) {
    std::ifstream stat_file("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(stat_file, stat)) return std::nullopt;
    Counters c;
    const auto cpu = cpu_seconds_of_stat(stat, ::sysconf(_SC_CLK_TCK));
    if (!cpu) return std::nullopt;
    c.cpu_seconds = *cpu;
    if (auto stats = qmp(qmp_socket, "query-blockstats", std::chrono::seconds(2));
        stats && stats->is_array())
        for (const auto& entry : stats->as_array()) {
            const auto& e = entry.as_object();
            const auto* device = e.if_contains("device");
            const auto* s = e.if_contains("stats");
            if (!device || !device->is_string() || device->as_string().empty() || !s) continue;
            const auto& numbers = s->as_object();
            c.drive_bytes[std::string(device->as_string())] =
                numbers.at("rd_bytes").to_number<double>() +
                numbers.at("wr_bytes").to_number<double>();
        }
    if (!tap.empty()) {
        // The tap's receive side is what the guest sent.
        const fs::path base = fs::path("/sys/class/net") / tap / "statistics";
        c.net_out = number_in(base / "rx_bytes");
        c.net_in = number_in(base / "tx_bytes");
    }
    return c;
}

}  // namespace linnet::compute::qemu_counters
