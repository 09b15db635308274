// Running host programs (qemu-img, mkfs, debugfs, qemu) without a shell: argv in, exit status
// and output back.
#pragma once

#include <string>
#include <vector>

namespace linnet::compute {

struct RunResult {
    int status = -1;     // exit status, or -1 when the program could not be started
    std::string output;  // standard output and standard error, interleaved
};

RunResult run(const std::vector<std::string>& argv, const std::string& input = "");
// Runs and throws std::runtime_error with the program's output when it fails.
std::string run_checked(const std::vector<std::string>& argv, const std::string& input = "");

}  // namespace linnet::compute
