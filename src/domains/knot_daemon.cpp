// knotd started with fork and exec, waited on as linnetd's child, and leftovers of another
// linnetd told apart from unrelated processes by their command line before they are stopped.
#include "domains/knot_daemon.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

namespace linnet::domains {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// knotd binds its sockets and loads its configuration in milliseconds; it stops as fast.
constexpr auto kStartDeadline = std::chrono::seconds(10);
constexpr auto kStopDeadline = std::chrono::seconds(10);

// Debian puts Knot's programs in /usr/sbin, which a user's PATH may lack.
std::string program(const char* name) {
    const fs::path sbin = fs::path("/usr/sbin") / name;
    return fs::exists(sbin) ? sbin.string() : name;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool wait_until(Clock::duration deadline, const std::function<bool()>& done) {
    const auto end = Clock::now() + deadline;
    while (!done()) {
        if (Clock::now() >= end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

// A process that ended but was not reaped (a leftover's parent is init, which in a container
// may never reap it) is not alive.
bool alive(pid_t pid) {
    const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
    const auto paren = stat.rfind(") ");
    if (paren == std::string::npos || paren + 2 >= stat.size()) return false;
    const char state = stat[paren + 2];
    return state != 'Z' && state != 'X';
}

// Whether `pid` is a live knotd run on `conf`, as this file runs it.
bool knotd_on(pid_t pid, const fs::path& conf) {
    const std::string cmdline = slurp("/proc/" + std::to_string(pid) + "/cmdline");
    std::vector<std::string> args;
    for (std::size_t at = 0; at < cmdline.size();) {
        const auto end = cmdline.find('\0', at);
        args.push_back(cmdline.substr(at, end - at));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    if (args.empty() || fs::path(args[0]).filename() != "knotd") return false;
    for (std::size_t i = 1; i < args.size(); ++i)
        if (args[i] == conf.string()) return alive(pid);
    return false;
}

pid_t read_pid(const fs::path& file) {
    const std::string text = slurp(file);
    pid_t pid = 0;
    std::from_chars(text.data(), text.data() + text.size(), pid);
    return pid;
}

// What knotd said went wrong, without its timestamps: its last error lines, else its last line.
std::string complaints(const fs::path& log) {
    std::istringstream in(slurp(log));
    std::vector<std::string> errors;
    std::string last;
    for (std::string line; std::getline(in, line);) {
        // "2026-01-01T00:00:00+0000 error: ..."; what knotd prints before its log is open has
        // no time.
        if (!line.empty() && line[0] >= '0' && line[0] <= '9' && line.find(' ') != line.npos)
            line = line.substr(line.find(' ') + 1);
        if (line.empty()) continue;
        last = line;
        if (line.rfind("error: ", 0) == 0 || line.rfind("critical: ", 0) == 0)
            errors.push_back(line);
    }
    if (errors.empty()) return last;
    std::string out;
    const std::size_t from = errors.size() > 3 ? errors.size() - 3 : 0;
    for (std::size_t i = from; i < errors.size(); ++i) out += (out.empty() ? "" : "; ") + errors[i];
    return out;
}

std::string ending(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
    return "status " + std::to_string(status);
}

}  // namespace

KnotDaemon::KnotDaemon(knot_config::Folder folder) : folder_(std::move(folder)) {}

KnotDaemon::~KnotDaemon() {
    stop();
}

compute::RunResult KnotDaemon::control(const std::vector<std::string>& arguments,
                                       int timeout_s) const {
    // The configuration is named so that knotc never reads the host's /etc/knot.
    std::vector<std::string> argv{program("knotc"),          "-c", folder_.conf().string(),  "-s",
                                  folder_.socket().string(), "-t", std::to_string(timeout_s)};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return compute::run(argv);
}

bool KnotDaemon::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    pid_t waited = waitpid(pid_, &status, WNOHANG);
    if (waited == 0 && alive(pid_)) return true;
    // A killed knotd's main thread is a zombie before its other threads are gone, and only
    // then can it be waited for: a moment.
    if (waited == 0) waited = waitpid(pid_, &status, 0);
    if (waited == pid_)
        spdlog::warn("dns: knotd (pid {}) ended ({}): {}", pid_, ending(status),
                     complaints(folder_.log()));
    pid_ = 0;
    return false;
}

void KnotDaemon::stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    const pid_t pid = pid_;
    const bool ended = wait_until(kStopDeadline, [pid] {
        const pid_t waited = waitpid(pid, nullptr, WNOHANG);
        return waited == pid || (waited < 0 && errno != EINTR);
    });
    if (!ended) {
        spdlog::warn("dns: knotd (pid {}) did not stop on SIGTERM: killing it", pid);
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
    pid_ = 0;
}

void KnotDaemon::stop_leftovers() {
    // By its pid file, and by its command line should the pid file be gone.
    std::set<pid_t> leftovers;
    if (const pid_t pid = read_pid(folder_.pid_file()); pid > 0 && knotd_on(pid, folder_.conf()))
        leftovers.insert(pid);
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        pid_t pid = 0;
        const std::string name = entry.path().filename().string();
        const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (error == std::errc() && end == name.data() + name.size() && pid != pid_ &&
            knotd_on(pid, folder_.conf()))
            leftovers.insert(pid);
    }
    for (const pid_t pid : leftovers) {
        spdlog::info("dns: stopping the knotd (pid {}) left running on {}", pid,
                     folder_.root.string());
        kill(pid, SIGTERM);
        if (!wait_until(kStopDeadline, [pid] { return !alive(pid); })) {
            kill(pid, SIGKILL);
            wait_until(kStopDeadline, [pid] { return !alive(pid); });
        }
    }
    // Whatever else answers on the control socket (a knotd run on another configuration that
    // names this folder's socket) is asked to stop.
    if (control({"status"}, 2).status == 0) {
        spdlog::info("dns: stopping the knotd answering on {}", folder_.socket().string());
        control({"stop"}, 5);
        wait_until(kStopDeadline, [this] { return control({"status"}, 2).status != 0; });
    }
    // A pid file naming a process that is no knotd of this folder would keep knotd from
    // starting.
    fs::remove(folder_.pid_file(), ec);
    fs::remove(folder_.socket(), ec);
}

std::string KnotDaemon::start() {
    if (running()) return "";
    stop_leftovers();
    std::error_code ec;
    fs::create_directories(folder_.storage(), ec);
    // The log of the knotd before is kept, for what ended it.
    fs::path previous = folder_.log();
    previous += ".1";
    if (fs::exists(folder_.log(), ec)) fs::rename(folder_.log(), previous, ec);

    const std::string knotd = program("knotd");
    const std::string conf = folder_.conf().string();
    std::vector<char*> argv{const_cast<char*>(knotd.c_str()), const_cast<char*>("-c"),
                            const_cast<char*>(conf.c_str()), nullptr};
    const int log = open(folder_.log().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const int nothing = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log < 0 || nothing < 0) {
        const std::string why = std::strerror(errno);
        if (log >= 0) close(log);
        if (nothing >= 0) close(nothing);
        return "cannot open " + folder_.log().string() + ": " + why;
    }
    // knotd gets every signal, whatever linnetd's thread that starts it blocks.
    sigset_t unblocked;
    sigemptyset(&unblocked);
    const pid_t linnetd = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
        // Only what is safe between fork and exec in a threaded process.
        sigprocmask(SIG_SETMASK, &unblocked, nullptr);
        // knotd ends with the thread that starts it (linnetd's heartbeat, which lives as long
        // as linnetd): a linnetd killed leaves no knotd holding its port. A thread that ended
        // earlier takes knotd along, and the next serve() starts it again.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != linnetd) _exit(1);
        dup2(nothing, 0);
        dup2(log, 1);
        dup2(log, 2);
        // Nothing of linnetd's (its listening sockets, the database) leaks into knotd.
        close_range(3, ~0U, 0);
        execvp(argv[0], argv.data());
        const char failed[] = "critical: cannot execute knotd (is Knot DNS installed?)\n";
        const ssize_t ignored = write(2, failed, sizeof failed - 1);
        (void)ignored;
        _exit(127);
    }
    const int fork_errno = errno;
    close(log);
    close(nothing);
    if (pid < 0) return std::string("cannot start knotd: ") + std::strerror(fork_errno);
    pid_ = pid;

    const bool answers = wait_until(
        kStartDeadline, [this] { return !running() || control({"status"}, 2).status == 0; });
    if (!running()) return "knotd did not start: " + complaints(folder_.log());
    if (!answers) {
        stop();
        return "knotd did not answer on " + folder_.socket().string() +
               " within 10 s: " + complaints(folder_.log());
    }
    spdlog::info("dns: knotd (pid {}) runs on {}", pid_, conf);
    return "";
}

}  // namespace linnet::domains
