// fork/exec with a pipe for output and one for input.
#include "compute/process.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace linnet::compute {

RunResult run(const std::vector<std::string>& argv, const std::string& input,
              const std::filesystem::path& cgroup_procs) {
    int out[2], in[2];
    if (pipe2(out, O_CLOEXEC) != 0) return {};
    if (pipe2(in, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return {};
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const std::string cgroup = cgroup_procs.string();
    const pid_t pid = fork();
    if (pid == 0) {
        if (!cgroup.empty()) {
            const int fd = open(cgroup.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0 || write(fd, "0", 1) != 1) _exit(126);
            close(fd);
        }
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(out[1], 2);
        // Nothing of linnetd's (its listening socket, the database) leaks into a program that may
        // outlive it, as a daemonized QEMU does.
        close_range(3, ~0U, 0);
        execvp(args[0], args.data());
        _exit(127);
    }
    close(out[1]);
    close(in[0]);
    if (pid < 0) {
        close(out[0]);
        close(in[1]);
        return {};
    }
    if (!input.empty()) {
        const ssize_t ignored = write(in[1], input.data(), input.size());
        (void)ignored;
    }
    close(in[1]);
    RunResult result;
    char buf[4096];
    for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;)
        result.output.append(buf, static_cast<std::size_t>(n));
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (result.status == 127 && result.output.empty()) result.output = argv[0] + ": not found";
    if (result.status == 126 && result.output.empty() && !cgroup.empty())
        result.output = "cannot join the cgroup of " + cgroup;
    return result;
}

std::string run_checked(const std::vector<std::string>& argv, const std::string& input) {
    auto r = run(argv, input);
    if (r.status != 0) {
        std::string cmd;
        for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
        throw std::runtime_error(cmd + " failed (" + std::to_string(r.status) + "): " + r.output);
    }
    return r.output;
}

}  // namespace linnet::compute
