// One master-worker HAProxy per host, daemonized, found again by its pid file (or its master and
// admin sockets) when linnetd starts, reloaded with SIGUSR2: the master starts a new worker that
// takes the listening sockets over, and the old one serves its connections to their end.
#include "compute/qemu/haproxy_balancers.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "compute/process.hpp"
#include "compute/qemu/haproxy_config.hpp"

namespace linnet::compute::haproxy {

namespace fs = std::filesystem;
using nodebalancers::Balancer;
using nodebalancers::Port;

namespace {

using Clock = std::chrono::steady_clock;

// How long HAProxy may take to answer on its admin socket after a start, or to put a new worker
// in place after a reload (it takes milliseconds), and to stop.
constexpr auto kStartDeadline = std::chrono::seconds(10);
constexpr auto kStopDeadline = std::chrono::seconds(10);

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Writes `text` to `path` through a temporary file and a rename, so that a reader sees the old
// text or the new, never part of it.
void write_file(const fs::path& path, const std::string& text, mode_t mode) {
    fs::path temporary = path;
    temporary += ".tmp";
    const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        throw std::runtime_error("cannot write " + temporary.string() + ": " +
                                 std::strerror(errno));
    bool ok = fchmod(fd, mode) == 0;
    for (std::size_t done = 0; ok && done < text.size();) {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = close(fd) == 0 && ok;
    if (!ok) {
        const std::string why = std::strerror(errno);
        std::error_code ec;
        fs::remove(temporary, ec);
        throw std::runtime_error("cannot write " + temporary.string() + ": " + why);
    }
    fs::rename(temporary, path);
}

// /proc/PID/stat's fields after the command name: state is [0], parent [1].
std::vector<std::string> stat_fields(pid_t pid) {
    const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
    const auto paren = stat.rfind(')');
    std::vector<std::string> fields;
    if (paren == std::string::npos) return fields;
    std::istringstream in(stat.substr(paren + 1));
    for (std::string field; in >> field;) fields.push_back(field);
    return fields;
}

// A process that exited but was not reaped yet (the daemonized master's parent is init, which
// may be slow to reap, or never in a container) is not alive.
bool alive(pid_t pid) {
    if (pid <= 0) return false;
    const auto fields = stat_fields(pid);
    return !fields.empty() && fields[0] != "Z" && fields[0] != "X";
}

pid_t parent_of(pid_t pid) {
    const auto fields = stat_fields(pid);
    return fields.size() > 1 ? static_cast<pid_t>(std::atol(fields[1].c_str())) : 0;
}

pid_t read_pid(const fs::path& file) {
    const std::string text = slurp(file);
    pid_t pid = 0;
    std::from_chars(text.data(), text.data() + text.size(), pid);
    return pid;
}

bool wait_until(Clock::duration deadline, const std::function<bool()>& done) {
    const auto end = Clock::now() + deadline;
    while (!done()) {
        if (Clock::now() >= end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

// One command on HAProxy's admin socket and the whole answer; empty when nothing answers.
std::string ask(const fs::path& socket_path, const std::string& command) {
    const std::string path = socket_path.string();
    sockaddr_un addr{};
    if (path.size() >= sizeof addr.sun_path) return "";
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return "";
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    std::string answer;
    const std::string line = command + "\n";
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
              send(fd, line.data(), line.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(line.size());
    // The end of the commands: HAProxy answers, then closes.
    if (ok) shutdown(fd, SHUT_WR);
    char buf[16384];
    while (ok) {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        answer.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
    return ok ? answer : "";
}

// The worker answering on the admin socket, 0 when none does.
pid_t worker_pid(const fs::path& socket) {
    const std::string info = ask(socket, "show info");
    const auto at = info.find("\nPid: ");
    if (at == std::string::npos) return 0;
    pid_t pid = 0;
    const char* begin = info.data() + at + 6;
    std::from_chars(begin, info.data() + info.size(), pid);
    return pid;
}

// The master process answering on the master CLI socket, 0 when none does. It answers from its
// event loop, so it has its signal handlers then: a signal sent while it is still starting (or
// re-executing itself for a reload) is lost.
pid_t master_pid(const fs::path& socket) {
    const std::string processes = ask(socket, "show proc");
    std::istringstream in(processes);
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        pid_t pid = 0;
        std::string type;
        if (fields >> pid >> type && type == "master") return pid;
    }
    return 0;
}

// Whether HAProxy can listen on the address and port: free, or held by the serving HAProxy
// (which binds with SO_REUSEPORT, as this probe does). Addresses that are not IP addresses are
// for config() to report.
bool can_listen(const std::string& address, int port) {
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (port < 1 || port > 65535) return true;
    const auto port_n = htons(static_cast<std::uint16_t>(port));
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = port_n;
        length = sizeof *v4;
    } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = port_n;
        length = sizeof *v6;
    } else {
        return true;
    }
    const int fd = socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&storage), length) == 0;
    close(fd);
    return ok;
}

// Why HAProxy could not load an https port's certificate and key, if it could not: checked here
// so that one bad certificate leaves out its port, not every NodeBalancer of the host.
std::optional<std::string> certificate_problem(const Port& port) {
    using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
    if (port.ssl_cert.size() > 1'000'000 || port.ssl_key.size() > 1'000'000)
        return "the certificate or key is too long";
    Bio cert_in(BIO_new_mem_buf(port.ssl_cert.data(), static_cast<int>(port.ssl_cert.size())),
                BIO_free);
    Bio key_in(BIO_new_mem_buf(port.ssl_key.data(), static_cast<int>(port.ssl_key.size())),
               BIO_free);
    if (!cert_in || !key_in) return "out of memory";
    // A key with a passphrase is refused rather than asked for.
    auto no_passphrase = [](char*, int, int, void*) { return 0; };
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        PEM_read_bio_X509(cert_in.get(), nullptr, no_passphrase, nullptr), X509_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(key_in.get(), nullptr, no_passphrase, nullptr), EVP_PKEY_free);
    std::optional<std::string> problem;
    if (!cert)
        problem = "the certificate is not a PEM certificate";
    else if (!key)
        problem = "the key is not a PEM private key without a passphrase";
    else if (X509_check_private_key(cert.get(), key.get()) != 1)
        problem = "the key is not the certificate's";
    ERR_clear_error();
    return problem;
}

std::vector<std::string> csv_fields(std::string_view line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            out.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    return out;
}

std::int64_t count_of(const std::string& text) {
    std::int64_t n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);
    return n;
}

// A server row's status as the side it is on: "UP 1/3" is up but failing, "DOWN 1/2" down but
// recovering; "no check" is a node without checks, sent traffic, so up; MAINT is a disabled
// (rejecting) node. A node whose checks have not run yet is unknown.
std::string node_status(const std::string& status, std::string check) {
    if (status.rfind("DOWN", 0) == 0 || status.rfind("MAINT", 0) == 0) return "DOWN";
    if (status.empty()) return "unknown";
    if (check.rfind("* ", 0) == 0) check = check.substr(2);  // a check in progress
    if (check == "INI") return "unknown";
    return "UP";
}

}  // namespace

nodebalancers::Health read_stat(std::string_view csv) {
    nodebalancers::Health health;
    std::map<std::string, std::size_t> column;
    while (!csv.empty()) {
        const auto end = csv.find('\n');
        std::string_view line = csv.substr(0, end);
        csv = end == std::string_view::npos ? std::string_view{} : csv.substr(end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.rfind("# ", 0) == 0) {
            const auto names = csv_fields(line.substr(2));
            for (std::size_t i = 0; i < names.size(); ++i) column[names[i]] = i;
            continue;
        }
        if (line.empty() || column.empty()) continue;
        const auto fields = csv_fields(line);
        auto field = [&](const std::string& name) -> std::string {
            const auto c = column.find(name);
            return c != column.end() && c->second < fields.size() ? fields[c->second] : "";
        };
        const auto config_id = config_of(field("pxname"));
        if (!config_id) continue;
        const std::string server = field("svname");
        if (server == "FRONTEND") {
            health.ports[*config_id] = {count_of(field("stot")), count_of(field("bin")),
                                        count_of(field("bout"))};
        } else if (const auto node_id = node_of(server)) {
            health.nodes[*node_id].status = node_status(field("status"), field("check_status"));
        }
    }
    return health;
}

Balancers::Balancers(fs::path folder, fs::path program)
    : folder_(fs::absolute(folder)),
      program_(std::move(program)),
      config_(folder_ / "haproxy.cfg"),
      pid_file_(folder_ / "haproxy.pid"),
      master_socket_(folder_ / "master.sock"),
      certificates_(folder_ / "certificates") {}

Balancers::~Balancers() {
    std::lock_guard lock(mutex_);
    stop();
}

pid_t Balancers::master() const {
    std::lock_guard lock(mutex_);
    return master_;
}

nodebalancers::Health Balancers::health() const {
    return read_stat(ask(admin_socket(folder_), "show stat"));
}

bool Balancers::serve(const std::vector<Balancer>& balancers) {
    std::lock_guard lock(mutex_);
    try {
        return serve_locked(balancers);
    } catch (const std::exception& e) {
        spdlog::error("haproxy: the NodeBalancers are not served: {}", e.what());
        served_.clear();
        return false;
    }
}

bool Balancers::serve_locked(const std::vector<Balancer>& wanted) {
    if (!master_) adopt_leftover();
    std::vector<std::string> problems;
    // The ports HAProxy can serve; those it cannot would keep it from serving the others.
    std::vector<Balancer> balancers = wanted;
    Settings settings{folder_, {}};
    std::vector<std::pair<fs::path, std::string>> pems;
    for (Balancer& b : balancers) {
        std::erase_if(b.ports, [&](const Port& port) {
            const std::string where = "NodeBalancer " + std::to_string(b.id) + ", config " +
                                      std::to_string(port.config_id) + ": ";
            if (port.protocol == "https") {
                if (const auto why = certificate_problem(port)) {
                    problems.push_back(where + *why);
                    return true;
                }
            }
            if (!can_listen(b.address, port.port)) {
                problems.push_back(where + b.address + ":" + std::to_string(port.port) +
                                   " cannot be listened on: another program holds it, or the "
                                   "address is not this host's");
                return true;
            }
            if (port.protocol == "https") {
                const fs::path file =
                    certificates_ / ("c" + std::to_string(port.config_id) + ".pem");
                settings.certificates[port.config_id] = file;
                pems.emplace_back(file, pem(port));
            }
            return false;
        });
    }
    const Config wanted_config = config(balancers, settings);
    problems.insert(problems.end(), wanted_config.problems.begin(), wanted_config.problems.end());
    // Each problem is logged when it appears, not again at every look while it lasts.
    std::string report;
    for (const auto& problem : problems) report += problem + "\n";
    if (report != reported_)
        for (const auto& problem : problems) spdlog::error("haproxy: {}", problem);
    reported_ = std::move(report);
    const bool complete = problems.empty();

    // Nothing to listen on: no HAProxy.
    if (wanted_config.text.find("\nlisten ") == std::string::npos) {
        stop();
        remove_stale_certificates({});
        return complete;
    }
    std::string state = wanted_config.text;
    for (const auto& [file, text] : pems) state += text;
    if (state == served_ && running()) return complete;

    fs::create_directories(certificates_);
    fs::permissions(folder_, fs::perms::owner_all, fs::perm_options::replace);
    fs::permissions(certificates_, fs::perms::owner_all, fs::perm_options::replace);
    std::vector<fs::path> keep;
    for (const auto& [file, text] : pems) {
        keep.push_back(file);
        if (slurp(file) != text) write_file(file, text, 0600);
    }
    fs::path next = config_;
    next += ".new";
    write_file(next, wanted_config.text, 0600);
    const auto check = run({program_.string(), "-c", "-f", next.string()});
    if (check.status != 0) {
        spdlog::error("haproxy: the configuration is refused ({}): {}", next.string(),
                      check.output);
        served_.clear();
        return false;
    }
    fs::rename(next, config_);
    if (!(running() ? reload() : start())) {
        served_.clear();
        return false;
    }
    served_ = std::move(state);
    remove_stale_certificates(keep);
    return complete;
}

bool Balancers::is_ours(pid_t pid) const {
    // HAProxy started on this folder's configuration (a reloaded master has more arguments).
    const std::string cmdline = slurp("/proc/" + std::to_string(pid) + "/cmdline");
    std::vector<std::string> args;
    for (std::size_t at = 0; at < cmdline.size();) {
        const auto end = cmdline.find('\0', at);
        args.push_back(cmdline.substr(at, end - at));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    if (args.empty() || fs::path(args[0]).filename() != program_.filename()) return false;
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "-f" && args[i + 1] == config_.string()) return true;
    return false;
}

bool Balancers::running() {
    if (master_ && alive(master_) && is_ours(master_)) return true;
    if (master_) spdlog::warn("haproxy: the master process {} is gone", master_);
    master_ = 0;
    served_.clear();
    return false;
}

void Balancers::adopt_leftover() {
    pid_t pid = read_pid(pid_file_);
    // No pid file, or a stale one: the master answering on the master CLI, or the master of the
    // worker answering on the admin socket.
    if (!(alive(pid) && is_ours(pid))) pid = master_pid(master_socket_);
    if (!(alive(pid) && is_ours(pid))) {
        pid = worker_pid(admin_socket(folder_));
        while (pid > 1 && is_ours(parent_of(pid))) pid = parent_of(pid);
    }
    if (!(alive(pid) && is_ours(pid))) return;
    master_ = pid;
    served_.clear();  // what it serves is not known: the next serve() reloads it
    spdlog::info("haproxy: taking over the HAProxy left running (master {})", pid);
}

bool Balancers::start() {
    const fs::path admin = admin_socket(folder_);
    for (const auto& socket : {admin, master_socket_}) {
        if (socket.string().size() >= sizeof(sockaddr_un::sun_path)) {
            spdlog::error("haproxy: the socket path {} is too long", socket.string());
            return false;
        }
    }
    if (master_socket_.string().find(',') != std::string::npos) {
        spdlog::error("haproxy: the folder {} has a comma, which -S cannot take", folder_.string());
        return false;
    }
    std::error_code ec;
    fs::remove(pid_file_, ec);
    fs::remove(admin, ec);
    fs::remove(master_socket_, ec);
    // Master-worker (-W), daemonized (-D): it outlives this call, and a linnetd that is killed
    // leaves it serving for the next one to take over. -S: the master CLI, to see the master
    // ready for signals.
    const auto started = run({program_.string(), "-W", "-D", "-f", config_.string(), "-p",
                              pid_file_.string(), "-S", master_socket_.string()});
    if (started.status != 0) {
        spdlog::error("haproxy: could not start: {}", started.output);
        return false;
    }
    master_ = read_pid(pid_file_);
    if (!alive(master_)) {
        spdlog::error("haproxy: started, but no master process runs: {}", started.output);
        master_ = 0;
        return false;
    }
    if (!wait_until(kStartDeadline, [&] { return worker_pid(admin) != 0 && master_ready(); })) {
        spdlog::error("haproxy: started (master {}), but its admin socket does not answer",
                      master_);
        return false;
    }
    spdlog::info("haproxy: serving NodeBalancers (master {})", master_);
    return true;
}

bool Balancers::reload() {
    const fs::path admin = admin_socket(folder_);
    // A master still starting (or re-executing itself for the reload before) would miss the
    // signal: it is sent once the master answers, or after the wait in case it never does.
    wait_until(kStartDeadline, [&] { return master_ready(); });
    const pid_t before = worker_pid(admin);
    if (kill(master_, SIGUSR2) != 0) {
        spdlog::error("haproxy: cannot signal the master {}: {}", master_, std::strerror(errno));
        return false;
    }
    // Done when a new worker answers; the old one no longer listens.
    const bool done = wait_until(kStartDeadline, [&] {
        const pid_t now = worker_pid(admin);
        return (now != 0 && now != before) || !alive(master_);
    });
    if (!alive(master_)) {
        spdlog::error("haproxy: the master {} died in a reload", master_);
        master_ = 0;
        return false;
    }
    if (!done) {
        // The master keeps the old worker serving what it served before.
        spdlog::error("haproxy: the master {} did not start a worker with the new configuration",
                      master_);
        return false;
    }
    spdlog::info("haproxy: reloaded (master {})", master_);
    return true;
}

void Balancers::stop() {
    if (master_ && alive(master_) && is_ours(master_)) {
        // The master stops its workers, then itself.
        wait_until(kStartDeadline, [&] { return master_ready(); });
        kill(master_, SIGTERM);
        if (!wait_until(kStopDeadline, [&] { return !alive(master_); })) {
            spdlog::warn("haproxy: the master {} did not stop; killing it", master_);
            kill(master_, SIGKILL);
            wait_until(kStopDeadline, [&] { return !alive(master_); });
        }
        spdlog::info("haproxy: stopped (master {})", master_);
    }
    master_ = 0;
    served_.clear();
    std::error_code ec;
    fs::remove(pid_file_, ec);
    fs::remove(admin_socket(folder_), ec);
    fs::remove(master_socket_, ec);
}

bool Balancers::master_ready() const {
    return master_pid(master_socket_) == master_;
}

void Balancers::remove_stale_certificates(const std::vector<fs::path>& keep) const {
    std::error_code ec;
    std::vector<fs::path> stale;
    for (fs::directory_iterator it(certificates_, ec), end; !ec && it != end; it.increment(ec))
        if (std::find(keep.begin(), keep.end(), it->path()) == keep.end())
            stale.push_back(it->path());
    for (const auto& file : stale) fs::remove(file, ec);
}

}  // namespace linnet::compute::haproxy
