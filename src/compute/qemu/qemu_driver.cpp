// The QEMU driver: each Linode's disks are raw files in data/linodes/ID/, made from the image's
// root filesystem (grown to the disk's size, its root password, SSH keys, hostname and host key
// written in before first boot); one daemonized qemu-system-x86_64 per running Linode, driven
// over QMP; loopback networking forwards the Linode's ports to its 127.0.0.0/8 address.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "compute/driver.hpp"
#include "compute/process.hpp"
#include "compute/qemu/guest_traffic.hpp"
#include "compute/qemu/haproxy_balancers.hpp"
#include "compute/qemu/nft_firewall.hpp"
#include "compute/qemu/private_networks.hpp"
#include "compute/qemu/qemu_backups.hpp"
#include "compute/qemu/qemu_counters.hpp"
#include "compute/qemu/qemu_first_boot.hpp"
#include "compute/qemu/qemu_images.hpp"
#include "compute/qemu/qemu_volumes.hpp"
#include "compute/qemu/qmp.hpp"
#include "core/json.hpp"

namespace linnet::compute {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool alive(pid_t pid) {
    return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

// Whether TCP `port` can be bound on `address`: a forward QEMU could not set up is reported
// before the boot rather than failing it.
bool can_bind(const std::string& address, int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = inet_pton(AF_INET, address.c_str(), &addr.sin_addr) == 1 &&
                    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

class QemuDriver : public Driver {
  public:
    explicit QemuDriver(QemuOptions options)
        : o_(std::move(options)),
          folders_{o_.data, o_.shared.empty() ? o_.data : o_.shared},
          linodes_(fs::path(o_.data) / "linodes"),
          traffic_(o_.data),
          balancers_(fs::path(o_.data) / "haproxy") {
        fs::create_directories(linodes_);
        if (o_.network != "loopback" && o_.network != "bridge")
            throw std::runtime_error("network must be loopback or bridge, not " + o_.network);
        if (o_.network == "bridge") {
            const auto slash = o_.pool.find('/');
            if (slash == std::string::npos)
                throw std::runtime_error("bridge networking needs the IPv4 pool as CIDR");
            prefix_ = std::stoi(o_.pool.substr(slash + 1));
            in_addr base{};
            inet_pton(AF_INET, o_.pool.substr(0, slash).c_str(), &base);
            const std::uint32_t host_mask = (prefix_ >= 32) ? 0 : (0xffffffffu >> prefix_);
            const std::uint32_t gw = (ntohl(base.s_addr) & ~host_mask) + 1;
            char text[16];
            std::snprintf(text, sizeof text, "%u.%u.%u.%u", gw >> 24, (gw >> 16) & 0xff,
                          (gw >> 8) & 0xff, gw & 0xff);
            gateway_ = text;
        }
        accel_ = resolve_accel();
        spdlog::info("qemu driver: accelerator {}", accel_);
        watcher_ = std::thread([this] { watch(); });
    }
    ~QemuDriver() override {
        stopping_ = true;
        if (watcher_.joinable()) watcher_.join();
    }

    std::string name() const override { return "qemu"; }

    std::chrono::milliseconds perform(Operation op, const Machine& m) override {
        switch (op) {
            case Operation::create_disks:
                for (const auto& d : m.disks) make_disk(m, d);
                break;
            case Operation::boot:
            case Operation::rescue:
                stop(m.linode_id, true);
                start(m);
                break;
            case Operation::reboot:
                stop(m.linode_id, true);
                start(m);
                break;
            case Operation::shutdown:
                stop(m.linode_id, true);
                break;
            case Operation::rebuild:
                stop(m.linode_id, false);
                remove_stale_disks(m);
                for (const auto& d : m.disks) make_disk(m, d);
                break;
            case Operation::resize:
            case Operation::resize_disk:
                stop(m.linode_id, true);
                if (m.disk_id) resize_disk(m, m.disk_id, m.disk_size_mb);
                break;
            case Operation::clone:
            case Operation::clone_disk:
                for (const auto& [from, to] : m.disk_map) copy_disk(m, from, to);
                break;
            case Operation::create_disk:
                for (const auto& d : m.disks)
                    if (d.id == m.disk_id) make_disk(m, d);
                break;
            case Operation::delete_disk:
                fs::remove(disk_path(m.linode_id, m.disk_id));
                break;
            case Operation::set_password: {
                const DiskSpec* disk = boot_disk(m);
                for (const auto& d : m.disks)
                    if (d.id == m.disk_id) disk = &d;
                if (disk) write_credentials(m, disk_path(m.linode_id, disk->id));
                break;
            }
            case Operation::migrate:
                break;  // one host: the Linode stays where its files are
            case Operation::destroy:
                stop(m.linode_id, false);
                fs::remove_all(linodes_ / std::to_string(m.linode_id));
                qemu_backups::remove_all(folders_.shared, m.linode_id);
                {
                    // Under the firewall's lock: a table being written never names a cgroup
                    // that is going away.
                    std::lock_guard lock(firewall_mutex_);
                    traffic_.forget(m.linode_id);
                    bridge_addresses_.erase(m.linode_id);
                    firewall_dirty_ = true;
                }
                break;
            case Operation::volume_create:
                qemu_volumes::create(folders_.shared, m.volume);
                if (running(m.volume.linode_id))
                    qemu_volumes::plug(qmp_socket(m.volume.linode_id), folders_.shared, m.volume);
                break;
            case Operation::volume_attach:
                if (running(m.volume.linode_id))
                    qemu_volumes::plug(qmp_socket(m.volume.linode_id), folders_.shared, m.volume);
                break;
            case Operation::volume_detach:
                if (running(m.volume.linode_id))
                    qemu_volumes::unplug(qmp_socket(m.volume.linode_id), m.volume);
                break;
            case Operation::volume_resize:
                qemu_volumes::grow(folders_.shared, m.volume);
                if (running(m.volume.linode_id))
                    qemu_volumes::resized(qmp_socket(m.volume.linode_id), m.volume);
                break;
            case Operation::volume_clone:
                qemu_volumes::copy(folders_.shared, m.volume);
                break;
            case Operation::volume_delete:
                qemu_volumes::remove(folders_.shared, m.volume);
                break;
            case Operation::image_capture: {
                std::optional<std::string> source;
                for (const auto& d : m.disks)
                    if (d.id == m.disk_id) source = d.image;
                std::optional<fs::path> socket;
                if (running(m.linode_id)) socket = qmp_socket(m.linode_id);
                qemu_images::capture(folders_, m.image, disk_path(m.linode_id, m.disk_id), source,
                                     socket, drive_id(m.disk_id));
                break;
            }
            case Operation::image_replicate:
                break;  // one host: every region's Linodes read the same folder
            case Operation::backup_take: {
                std::optional<fs::path> socket;
                if (running(m.linode_id)) socket = qmp_socket(m.linode_id);
                qemu_backups::take(folders_.shared, m, disk_of(), socket);
                break;
            }
            case Operation::backup_restore:
                stop(m.linode_id, true);
                remove_stale_disks(m);  // those a restore with overwrite replaced
                qemu_backups::restore(folders_.shared, m, disk_of());
                break;
        }
        return std::chrono::milliseconds(0);
    }

    bool enforce_firewalls(const std::map<std::int64_t, firewalls::Rules>& rules) override {
        std::string text;
        for (const auto& [id, r] : rules)
            text += std::to_string(id) + to_json(firewalls::render(r)) + "\n";
        {
            std::lock_guard lock(firewall_mutex_);
            // The same rules, in force since they were last written: nothing to do.
            if (text == firewall_text_ && !firewall_dirty_) return true;
            firewall_rules_ = rules;
            firewall_text_ = std::move(text);
        }
        return apply_firewalls();
    }

    bool serve_nodebalancers(const std::vector<nodebalancers::Balancer>& balancers) override {
        return balancers_.serve(balancers);
    }

    nodebalancers::Health nodebalancer_health() override { return balancers_.health(); }

    std::string take_note(std::int64_t linode_id) override {
        std::lock_guard lock(mutex_);
        auto it = notes_.find(linode_id);
        if (it == notes_.end()) return "";
        std::string note = std::move(it->second);
        notes_.erase(it);
        return note;
    }

    std::vector<std::int64_t> stopped_unexpectedly() override {
        std::lock_guard lock(mutex_);
        return std::exchange(stopped_, {});
    }

    std::vector<std::int64_t> adopt(const std::vector<std::int64_t>& running) override {
        std::vector<std::int64_t> gone;
        std::lock_guard lock(mutex_);
        for (auto id : running) {
            const pid_t pid = read_pid(id);
            if (alive(pid))
                running_[id] = {pid, false};
            else
                gone.push_back(id);
        }
        return gone;
    }

    std::map<std::int64_t, Counters> counters() override {
        std::map<std::int64_t, pid_t> vms;
        {
            std::lock_guard lock(mutex_);
            for (const auto& [id, vm] : running_)
                if (!vm.stopping) vms[id] = vm.pid;
        }
        std::map<std::int64_t, Counters> out;
        const bool bridge = o_.network == "bridge";
        // On loopback networking the counts are the nft counters of the VM's cgroup.
        const auto traffic = bridge || vms.empty() ? decltype(traffic_.read()){} : traffic_.read();
        for (const auto& [id, pid] : vms) {
            auto c = qemu_counters::read(pid, qmp_socket(id), bridge ? tap_name(id) : "");
            if (!c) continue;
            if (const auto t = traffic.find(id); t != traffic.end()) {
                c->net_in = t->second.in;
                c->net_out = t->second.out;
            }
            out[id] = std::move(*c);
        }
        return out;
    }

  private:
    struct Vm {
        pid_t pid = 0;
        bool stopping = false;  // asked to stop: its exit is expected
    };

    std::string resolve_accel() {
        if (o_.accel != "auto") return o_.accel;
        // KVM can open, and even run the firmware, yet hang once a kernel leaves real mode
        // (nested virtualisation): it is chosen only when it starts the debian12 image's kernel
        // as far as its first line on the serial console. Without that image, TCG: slower,
        // and right wherever QEMU runs (--accel kvm chooses KVM anyway).
        const fs::path kernel = folders_.image("linode/debian12") / "vmlinuz";
        if (!fs::exists(kernel)) return "tcg";
        const fs::path console = fs::path(o_.data) / "kvm-probe.log";
        fs::remove(console);
        // Without a root file system the kernel panics, and the VM then ends (-no-reboot).
        run({"timeout",
             "4",
             "qemu-system-x86_64",
             "-accel",
             "kvm",
             "-cpu",
             "host",
             "-M",
             "pc",
             "-nodefaults",
             "-display",
             "none",
             "-m",
             "256",
             "-no-reboot",
             "-kernel",
             kernel.string(),
             "-append",
             "console=ttyS0 panic=-1",
             "-serial",
             "file:" + console.string()});
        const bool started = slurp(console).find("Linux version") != std::string::npos;
        fs::remove(console);
        return started ? "kvm" : "tcg";
    }

    fs::path dir(std::int64_t linode) const { return linodes_ / std::to_string(linode); }
    fs::path qmp_socket(std::int64_t linode) const { return dir(linode) / "qmp.sock"; }
    // The Linode's VM runs here (and was not asked to stop).
    bool running(std::int64_t linode) {
        if (linode == 0) return false;
        std::lock_guard lock(mutex_);
        const auto it = running_.find(linode);
        return it != running_.end() && !it->second.stopping;
    }
    fs::path disk_path(std::int64_t linode, std::int64_t disk) const {
        return dir(linode) / ("disk-" + std::to_string(disk) + ".img");
    }
    fs::path image_dir(const std::string& image) const { return folders_.image(image); }
    qemu_backups::DiskPath disk_of() const {
        return [this](std::int64_t linode, std::int64_t disk) { return disk_path(linode, disk); };
    }

    pid_t read_pid(std::int64_t linode) const {
        std::ifstream in(dir(linode) / "qemu.pid");
        pid_t pid = 0;
        in >> pid;
        return pid;
    }

    static const DiskSpec* boot_disk(const Machine& m) {
        for (const auto& d : m.disks)
            if (d.image && (d.filesystem == "ext4" || d.filesystem == "ext3")) return &d;
        for (const auto& d : m.disks)
            if (d.filesystem == "ext4" || d.filesystem == "ext3") return &d;
        return nullptr;
    }

    void make_disk(const Machine& m, const DiskSpec& d) {
        fs::create_directories(dir(m.linode_id));
        const fs::path path = disk_path(m.linode_id, d.id);
        if (fs::exists(path)) return;
        const fs::path tmp = path.string() + ".tmp";
        const std::string size = std::to_string(d.size_mb) + "M";
        if (d.image) {
            const fs::path base = image_dir(*d.image) / "rootfs.raw";
            if (!fs::exists(base)) {
                if (fs::exists(image_dir(*d.image) / "building"))
                    throw NotReady("image " + *d.image + " is being built",
                                   std::chrono::seconds(5));
                if (d.image->rfind("private/", 0) == 0)
                    throw std::runtime_error("Image " + *d.image + " has no disk on this host");
                throw std::runtime_error("Image " + *d.image +
                                         " has not been built on this host (linnetd image build " +
                                         d.image->substr(d.image->find('/') + 1) + ")");
            }
            run_checked({"cp", "--sparse=always", base.string(), tmp.string()});
            run_checked({"truncate", "-s", size, tmp.string()});
            auto fsck = run({"e2fsck", "-fp", tmp.string()});
            if (fsck.status > 1) throw std::runtime_error("e2fsck failed: " + fsck.output);
            run_checked({"resize2fs", tmp.string()});
            write_credentials(m, tmp);
            if (const DiskSpec* root = boot_disk(m); root && root->id == d.id)
                qemu_first_boot::install(m, tmp, dir(m.linode_id) / "first-boot");
        } else {
            run_checked({"truncate", "-s", size, tmp.string()});
            if (d.filesystem == "swap")
                run_checked({"mkswap", tmp.string()});
            else if (d.filesystem == "ext4" || d.filesystem == "ext3")
                run_checked({"mkfs." + d.filesystem, "-q", "-F", tmp.string()});
        }
        fs::rename(tmp, path);
    }

    // Root password, SSH keys, hostname and a fresh host key, written into the ext filesystem.
    void write_credentials(const Machine& m, const fs::path& disk) {
        const fs::path work = dir(m.linode_id) / "credentials";
        fs::remove_all(work);
        fs::create_directories(work);
        std::string cmds;
        if (m.root_hash) {
            std::string shadow = run_checked({"debugfs", "-R", "cat /etc/shadow", disk.string()});
            std::string updated;
            std::istringstream lines(shadow);
            for (std::string line; std::getline(lines, line);) {
                if (line.rfind("debugfs ", 0) == 0) continue;
                if (line.rfind("root:", 0) == 0) {
                    auto rest = line.find(':', 5);
                    line = "root:" + *m.root_hash + line.substr(rest);
                }
                updated += line + "\n";
            }
            std::ofstream(work / "shadow") << updated;
            cmds += "rm /etc/shadow\nwrite " + (work / "shadow").string() +
                    " /etc/shadow\nsif /etc/shadow mode 0100640\nsif /etc/shadow gid 42\n";
        }
        if (o_.network == "bridge" && !m.ipv4.empty()) {
            // No DHCP on a bridge: the Linode's address goes into its network configuration.
            std::ofstream(work / "network")
                << "[Match]\nName=en* eth*\n\n[Network]\nAddress=" << m.ipv4 << "/" << prefix_
                << "\nGateway=" << gateway_ << "\n";
            cmds += "rm /etc/systemd/network/10-dhcp.network\nwrite " +
                    (work / "network").string() + " /etc/systemd/network/10-dhcp.network\n";
        }
        std::ofstream(work / "hostname") << m.label << "\n";
        cmds += "rm /etc/hostname\nwrite " + (work / "hostname").string() + " /etc/hostname\n";
        if (!m.authorized_keys.empty()) {
            std::string keys;
            for (const auto& k : m.authorized_keys) keys += k + "\n";
            std::ofstream(work / "authorized_keys") << keys;
            cmds +=
                "mkdir /root/.ssh\nsif /root/.ssh mode 040700\nrm /root/.ssh/authorized_keys\n"
                "write " +
                (work / "authorized_keys").string() +
                " /root/.ssh/authorized_keys\nsif /root/.ssh/authorized_keys mode 0100600\n";
        }
        run_checked({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "root@" + m.label, "-f",
                     (work / "host_key").string()});
        cmds +=
            "rm /etc/ssh/ssh_host_ed25519_key\nrm /etc/ssh/ssh_host_ed25519_key.pub\n"
            "write " +
            (work / "host_key").string() +
            " /etc/ssh/ssh_host_ed25519_key\nsif /etc/ssh/ssh_host_ed25519_key mode 0100600\n"
            "write " +
            (work / "host_key.pub").string() +
            " /etc/ssh/ssh_host_ed25519_key.pub\n"
            "sif /etc/ssh/ssh_host_ed25519_key.pub mode 0100644\n";
        std::ofstream(work / "commands") << cmds;
        run_checked({"debugfs", "-w", "-f", (work / "commands").string(), disk.string()});
        fs::remove_all(work);
    }

    void remove_stale_disks(const Machine& m) {
        if (!fs::exists(dir(m.linode_id))) return;
        for (const auto& entry : fs::directory_iterator(dir(m.linode_id))) {
            const std::string name = entry.path().filename().string();
            if (name.rfind("disk-", 0) != 0) continue;
            bool keep = false;
            for (const auto& d : m.disks)
                keep = keep || name == "disk-" + std::to_string(d.id) + ".img";
            if (!keep) fs::remove(entry.path());
        }
    }

    void resize_disk(const Machine& m, std::int64_t disk_id, std::int64_t size_mb) {
        const fs::path path = disk_path(m.linode_id, disk_id);
        if (!fs::exists(path) || size_mb <= 0) return;
        const std::string size = std::to_string(size_mb) + "M";
        bool ext = false;
        for (const auto& d : m.disks)
            if (d.id == disk_id) ext = d.filesystem == "ext4" || d.filesystem == "ext3";
        const auto current = static_cast<std::int64_t>(fs::file_size(path) / (1024 * 1024));
        if (ext) run({"e2fsck", "-fp", path.string()});
        if (size_mb >= current) {
            run_checked({"truncate", "-s", size, path.string()});
            if (ext) run_checked({"resize2fs", path.string()});
        } else {
            if (ext) run_checked({"resize2fs", path.string(), size});
            run_checked({"truncate", "-s", size, path.string()});
        }
    }

    void copy_disk(const Machine& m, std::int64_t from, std::int64_t to) {
        const std::int64_t target = m.target_linode ? m.target_linode : m.linode_id;
        fs::create_directories(dir(target));
        run_checked({"cp", "--sparse=always", disk_path(m.linode_id, from).string(),
                     disk_path(target, to).string()});
    }

    void start(const Machine& m) {
        const fs::path d = dir(m.linode_id);
        fs::create_directories(d);
        if (m.boot_disks.empty() || m.boot_disks.front() == 0)
            throw std::runtime_error("The Linode's config has no disk in sda to boot from");
        const DiskSpec* root = nullptr;
        for (const auto& disk : m.disks)
            if (disk.id == m.boot_disks.front()) root = &disk;
        if (root == nullptr || !root->image)
            throw std::runtime_error("The disk in sda was not made from an image; it cannot boot");
        const fs::path image = qemu_images::kernel_folder(folders_, *root->image);

        std::vector<std::string> args = {
            "qemu-system-x86_64",
            "-name",
            "linode" + std::to_string(m.linode_id),
            "-accel",
            accel_ == "kvm" ? "kvm" : "tcg,thread=multi",
            "-cpu",
            accel_ == "kvm" ? "host" : "max",
            "-M",
            "pc",
            "-smp",
            std::to_string(std::max<std::int64_t>(1, m.vcpus)),
            "-m",
            std::to_string(m.memory_mb),
            "-nodefaults",
            "-no-user-config",
            "-display",
            "none",
            "-kernel",
            (image / "vmlinuz").string(),
            "-initrd",
            (image / "initrd.img").string(),
            "-append",
            "root=/dev/vda rw console=ttyS0 quiet",
            "-chardev",
            "file,id=console,path=" + (d / "console.log").string() + ",append=on",
            "-serial",
            "chardev:console",
            "-qmp",
            "unix:" + (d / "qmp.sock").string() + ",server=on,wait=off",
            "-pidfile",
            (d / "qemu.pid").string(),
            "-daemonize"};
        for (auto disk : m.boot_disks) {
            if (disk == 0) continue;
            args.push_back("-drive");
            args.push_back("file=" + disk_path(m.linode_id, disk).string() +
                           ",if=virtio,format=raw,cache=writeback,id=" + drive_id(disk));
        }
        write_private_networks(m, disk_path(m.linode_id, root->id));
        // Every VM has the controller, so that volumes can be attached while it runs.
        for (auto& a : qemu_volumes::controller_args()) args.push_back(std::move(a));
        for (const auto& volume : m.boot_volumes)
            for (auto& a : qemu_volumes::boot_args(folders_.shared, volume))
                args.push_back(std::move(a));
        if (o_.network == "bridge") {
            const std::string tap = tap_name(m.linode_id);
            run({"ip", "link", "del", tap});
            run_checked({"ip", "tuntap", "add", "dev", tap, "mode", "tap"});
            auto attached = run({"ip", "link", "set", tap, "master", o_.bridge, "up"});
            if (attached.status != 0) {
                run({"ip", "link", "del", tap});
                throw std::runtime_error("cannot attach " + tap + " to bridge " + o_.bridge + ": " +
                                         attached.output);
            }
            args.insert(args.end(),
                        {"-netdev", "tap,id=net0,ifname=" + tap + ",script=no,downscript=no",
                         "-device", "virtio-net-pci,netdev=net0,romfile="});
            add_metadata_interface(m, args);
            add_private_interfaces(m, args);
            return boot_and_wait(m, args);
        }
        std::string forwards;
        std::vector<int> refused;
        for (int port : o_.ports) {
            if (m.ipv4.empty() || !can_bind(m.ipv4, port)) {
                refused.push_back(port);
                continue;
            }
            forwards +=
                ",hostfwd=tcp:" + m.ipv4 + ":" + std::to_string(port) + "-:" + std::to_string(port);
        }
        if (!refused.empty()) {
            std::string list;
            for (int p : refused) list += (list.empty() ? "" : ", ") + std::to_string(p);
            spdlog::warn("linode {}: cannot forward port(s) {} on {}: another program holds them",
                         m.linode_id, list, m.ipv4);
            std::lock_guard lock(mutex_);
            notes_[m.linode_id] = "Port(s) " + list + " on " + m.ipv4 +
                                  " could not be forwarded: another program holds them.";
        }
        args.insert(args.end(), {"-netdev", "user,id=net0" + forwards, "-device",
                                 "virtio-net-pci,netdev=net0,romfile="});
        add_metadata_interface(m, args);
        add_private_interfaces(m, args);
        boot_and_wait(m, args);
    }

    // A second NIC on a user network of its own (169.254.169.0/24) whose only way out is
    // 169.254.169.254:80, forwarded to the host's Metadata service by a relay QEMU starts per
    // connection (restrict=on: nothing else of the guest's leaves QEMU on it).
    void add_metadata_interface(const Machine& m, std::vector<std::string>& args) const {
        if (o_.metadata_relay.empty()) return;
        std::string relay = o_.metadata_relay + " --linode " + std::to_string(m.linode_id);
        // QEMU's option syntax doubles a comma that belongs to a value.
        for (std::size_t at = relay.find(','); at != std::string::npos;
             at = relay.find(',', at + 2))
            relay.insert(at, ",");
        args.insert(args.end(), {"-netdev",
                                 "user,id=meta,net=169.254.169.0/24,host=169.254.169.2,restrict=on,"
                                 "guestfwd=tcp:169.254.169.254:80-cmd:" +
                                     relay,
                                 "-device",
                                 std::string("virtio-net-pci,netdev=meta,romfile=,mac=") +
                                     qemu_first_boot::kMetadataMac});
    }

    // The NICs of the config's VLANs and VPC, after the public and metadata ones: segments on
    // 127.0.0.1 that only the Linodes of this host on the same network join.
    void add_private_interfaces(const Machine& m, std::vector<std::string>& args) const {
        for (auto& a :
             private_networks::qemu_args(folders_.data.string(), m.linode_id, m.private_nics))
            args.push_back(std::move(a));
    }

    // The guest's files for its private NICs (addresses, routes), written at each boot while
    // the config's Network Helper is on, as Linode's Network Helper does; a file of a NIC the
    // config no longer has goes.
    void write_private_networks(const Machine& m, const fs::path& root) {
        if (!m.network_helper) return;
        const fs::path work = dir(m.linode_id) / "private-networks";
        fs::remove_all(work);
        fs::create_directories(work);
        std::string cmds;
        for (std::size_t n = 0; n < private_networks::kMaxNics; ++n) {
            const std::string target = private_networks::networkd_path(n);
            cmds += "rm " + target + "\n";
            if (n >= m.private_nics.size()) continue;
            const fs::path file = work / ("nic" + std::to_string(n));
            std::ofstream(file) << private_networks::networkd_file(m.linode_id, n,
                                                                   m.private_nics[n]);
            cmds += "write " + file.string() + " " + target + "\n";
        }
        std::ofstream(work / "commands") << cmds;
        // debugfs goes on past the removal of a file that is not there.
        run_checked({"debugfs", "-w", "-f", (work / "commands").string(), root.string()});
        fs::remove_all(work);
    }

    static std::string tap_name(std::int64_t linode) { return "lnt" + std::to_string(linode); }

    // The address a Linode was booted with on bridge networking (kept in its folder, so that a
    // restarted server still knows the Linodes it adopts).
    std::optional<std::string> bridge_address(std::int64_t id) {
        if (const auto it = bridge_addresses_.find(id); it != bridge_addresses_.end())
            return it->second;
        std::ifstream in(dir(id) / "address");
        std::string address;
        if (!(in >> address)) return std::nullopt;
        bridge_addresses_[id] = address;
        return address;
    }

    // Writes the firewall table (the whole of it, replacing what any earlier run of this server
    // left) for the guarded Linodes whose packets can be told apart now: a cgroup of their own
    // on loopback networking, their address on bridge networking. False, and tried again at the
    // next enforcement, when nft fails or a guarded Linode's machine runs unguarded.
    bool apply_firewalls() {
        std::lock_guard lock(firewall_mutex_);
        std::map<std::int64_t, nft_firewall::Guarded> guarded;
        const bool bridge = o_.network == "bridge";
        bool whole = true;
        for (const auto& [id, rules] : firewall_rules_) {
            if (bridge) {
                if (auto address = bridge_address(id))
                    guarded[id] = {"ip daddr " + *address, "ip saddr " + *address, rules};
            } else if (auto match = traffic_.socket_match(id)) {
                guarded[id] = {*match, *match, rules};
            } else if (running(id)) {
                spdlog::error(
                    "Cloud Firewalls: Linode {} runs unguarded: this host cannot tell "
                    "its packets apart (no cgroup v2 under /sys/fs/cgroup, or no nft)",
                    id);
                whole = false;
            }
        }
        const std::string table = traffic_.table() + "_fw";
        const auto layout = bridge ? nft_firewall::bridge(table) : nft_firewall::loopback(table);
        auto applied = run({"nft", "-f", "-"}, nft_firewall::ruleset(layout, guarded));
        if (applied.status != 0) {
            spdlog::error("Cloud Firewalls are not enforced: nft: {}", applied.output);
            firewall_dirty_ = true;
            return false;
        }
        firewall_dirty_ = !whole;
        return whole;
    }
    // QEMU's name for a disk's drive (QMP block commands take it).
    static std::string drive_id(std::int64_t disk) { return "disk" + std::to_string(disk); }

    void boot_and_wait(const Machine& m, const std::vector<std::string>& args) {
        const fs::path d = dir(m.linode_id);
        const auto console_offset =
            fs::exists(d / "console.log") ? fs::file_size(d / "console.log") : 0;
        fs::remove(d / "qemu.pid");
        std::optional<fs::path> cgroup;
        if (o_.network == "loopback") {
            cgroup = traffic_.enter(m.linode_id);
        } else if (!m.ipv4.empty()) {
            std::lock_guard lock(firewall_mutex_);
            bridge_addresses_[m.linode_id] = m.ipv4;
            std::ofstream(d / "address") << m.ipv4 << "\n";
        }
        // The Linode's firewall holds from its first packet.
        apply_firewalls();
        auto started = run(args, "", cgroup.value_or(fs::path()));
        if (started.status != 0)
            throw std::runtime_error("qemu failed to start: " + started.output);
        const pid_t pid = read_pid(m.linode_id);
        {
            std::lock_guard lock(mutex_);
            running_[m.linode_id] = {pid, false};
        }
        {
            // Looked at again at the next enforcement: a guarded Linode that runs unguarded
            // is reported there.
            std::lock_guard lock(firewall_mutex_);
            if (firewall_rules_.count(m.linode_id)) firewall_dirty_ = true;
        }
        // Running means answering: wait for the image's ready line on the serial console.
        const auto deadline = std::chrono::steady_clock::now() + o_.boot_timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            const std::string console = slurp(d / "console.log");
            if (console.size() > console_offset &&
                console.find("linnet-ready", console_offset) != std::string::npos)
                return;
            if (!alive(pid)) throw std::runtime_error("qemu stopped during boot");
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
        spdlog::warn("linode {}: no ready line on the console after {} s", m.linode_id,
                     o_.boot_timeout.count());
    }

    void stop(std::int64_t linode, bool graceful) {
        pid_t pid;
        {
            std::lock_guard lock(mutex_);
            auto it = running_.find(linode);
            pid = it != running_.end() ? it->second.pid : read_pid(linode);
            if (it != running_.end()) it->second.stopping = true;
        }
        if (!alive(pid)) {
            forget(linode);
            if (o_.network == "bridge") run({"ip", "link", "del", tap_name(linode)});
            return;
        }
        const fs::path sock = dir(linode) / "qmp.sock";
        if (graceful) {
            // ACPI power button, then the power cord after the timeout.
            qmp(sock, "system_powerdown");
            const auto deadline = std::chrono::steady_clock::now() + o_.shutdown_timeout;
            while (alive(pid) && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        if (alive(pid)) qmp(sock, "quit");
        for (int i = 0; i < 50 && alive(pid); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (alive(pid)) kill(pid, SIGKILL);
        forget(linode);
        if (o_.network == "bridge") run({"ip", "link", "del", tap_name(linode)});
    }

    void forget(std::int64_t linode) {
        std::lock_guard lock(mutex_);
        running_.erase(linode);
    }

    void watch() {
        while (!stopping_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            std::lock_guard lock(mutex_);
            for (auto it = running_.begin(); it != running_.end();) {
                if (!alive(it->second.pid) && !it->second.stopping) {
                    spdlog::warn("linode {}: qemu (pid {}) stopped unexpectedly", it->first,
                                 it->second.pid);
                    stopped_.push_back(it->first);
                    it = running_.erase(it);
                } else {
                    ++it;
                }
            }
        }
    }

    QemuOptions o_;
    qemu_images::Folders folders_;
    fs::path linodes_;
    guest_traffic::Accounting traffic_;
    // The NodeBalancers placed on this host, served by one HAProxy in data/haproxy.
    haproxy::Balancers balancers_;
    // The firewall rules in force for this host's Linodes, as the store last gave them.
    std::mutex firewall_mutex_;
    std::map<std::int64_t, firewalls::Rules> firewall_rules_;
    std::string firewall_text_;   // firewall_rules_ as text, to see a change
    bool firewall_dirty_ = true;  // the table does not hold firewall_rules_ (not written yet)
    std::map<std::int64_t, std::string> bridge_addresses_;  // bridge networking: booted Linodes
    std::string accel_;
    int prefix_ = 24;
    std::string gateway_;
    std::mutex mutex_;
    std::map<std::int64_t, Vm> running_;
    std::map<std::int64_t, std::string> notes_;
    std::vector<std::int64_t> stopped_;
    std::atomic<bool> stopping_{false};
    std::thread watcher_;
};

}  // namespace

std::unique_ptr<Driver> make_qemu_driver(const QemuOptions& options) {
    return std::make_unique<QemuDriver>(options);
}

}  // namespace linnet::compute
